-- Synthetic clickstream in the REES46 multi-category format, one finished CSV line per row (see generate.ts
-- for why). Deterministic: every "random" draw is hash(seed, entity, purpose), so the same arguments give
-- byte-identical output. Parameters (SET VARIABLE): rows, seed, start (TIMESTAMPTZ), days (NULL: by rows).
-- Shape, from the published 2019-Oct figures: ~14 events per user, ~3.5 events per session, view 96 % /
-- cart 2.2 % / purchase 1.75 % (a few remove_from_cart, sometimes several purchases in a session),
-- power-law popularity of products, categories and brands, a stable price, category and brand per product,
-- brand empty for ~15 % and category_code for ~30 % of products, a daily traffic curve, bursts of exact
-- duplicate cart rows.
-- Speed: every column is a pure function of the row number i, so there are no joins, no window functions
-- and only one narrow sort (event second, i); the text is built after the sort. Run lookups.sql first.
WITH params AS (
  SELECT getvariable('rows')::BIGINT AS n, getvariable('seed')::BIGINT AS seed,
         epoch(getvariable('start')::TIMESTAMPTZ)::BIGINT AS t0,
         -- about 1.37M events a day, as in the real month, unless days is given
         coalesce(getvariable('days')::BIGINT, greatest(1, ceil(getvariable('rows')::BIGINT / 1370000.0))::BIGINT) AS days,
         greatest(1, getvariable('rows')::BIGINT // 14) AS users,
         greatest(1, getvariable('rows')::BIGINT // 300) AS products
),
slots AS (
  SELECT i, seed, t0, days, users, products, i // 12 * 12 + sstart AS session_no, i % 12 - sstart AS seq
  FROM (
    SELECT i, p.*,
           -- the highest session start at or before this row's place in its block
           floor(log2(getvariable('masks')[(1 + hash(p.seed, i // 12, 'block') % 4096)::BIGINT]
                      & ((2 << (i % 12)) - 1)))::BIGINT AS sstart
    FROM params p, range(p.n) AS r(i)
  )
),
sources AS (
  -- bursts of exact duplicates: a cart row logged again (2 or 3 times in all, ~0.3 % of rows); a copy takes
  -- every attribute, its time included, from the event it copies (src), so the rows are identical
  SELECT *, CASE
      WHEN seq >= 2 AND hash(seed, session_no, seq - 2, 'type') % 10000 < 195
           AND hash(seed, session_no, seq - 2, 'dup') % 100 < 5 THEN seq - 2
      WHEN seq >= 1 AND hash(seed, session_no, seq - 1, 'type') % 10000 < 195
           AND hash(seed, session_no, seq - 1, 'dup') % 100 < 15 THEN seq - 1
      ELSE seq END AS src,
    hash(seed, session_no, 'session') AS h
  FROM slots
),
keyed AS (
  -- a session starts on a day, at an hour of the daily curve and a second; its events follow at a pace of
  -- its own (pace p: event k at k·p + a draw below p seconds, so times rise within the session).
  -- The only sort, over two numbers. COPY keeps the order it ends with because only projections follow it:
  -- a join after it (even a cross join with a one-row table) would give the order up, hence lookups.sql.
  SELECT i, seed, users, products, session_no, src,
         (t0 + 86400 * floor(days * ((h & 1048575) / 1048576.0))::BIGINT
          + 3600 * getvariable('hours')[(1 + ((h >> 20) & 1023))::BIGINT] + ((h >> 30) % 3600)::BIGINT
          + src * (10 + (h >> 42) % 110)::BIGINT
          + (hash(seed, session_no, src, 'gap') % (10 + (h >> 42) % 110))::BIGINT)::BIGINT AS t
  FROM sources
  ORDER BY t, i
),
events AS (
  SELECT t, session_no, seed, users, src,
         hash(seed, session_no, src, 'type') % 10000 AS type_draw,
         -- power law over products: a few products get most of the views
         floor(products * pow((hash(seed, session_no, src, 'product') % 1000003) / 1000003.0, 2.2))::BIGINT
           AS product_no
  FROM keyed
),
products AS (
  -- one stable category, brand and price per product; popular categories and brands hold more products
  SELECT *,
         floor(600 * pow((hash(seed, product_no, 'category') % 1000003) / 1000003.0, 1.8))::BIGINT AS category_no,
         floor(3000 * pow((hash(seed, product_no, 'brand') % 1000003) / 1000003.0, 2.5))::BIGINT AS brand_no
  FROM events
)
SELECT concat(
         strftime(make_timestamp(t * 1000000), '%Y-%m-%d %H:%M:%S UTC'), ',',
         -- purchases only after the first event of a session (a buyer has looked first)
         CASE WHEN type_draw < 195 THEN 'cart'
              WHEN type_draw < 203 THEN 'remove_from_cart'
              WHEN type_draw < 203 + 245 AND src > 0 THEN 'purchase'
              ELSE 'view' END, ',',
         1000000 + product_no * 7 + hash(seed, product_no, 'pid') % 7, ',',
         2053013552000000000 + category_no * 1234567, ',',
         CASE WHEN hash(seed, product_no, 'code?') % 1000 >= 300 THEN getvariable('category_codes')[1 + category_no] END, ',',
         CASE WHEN hash(seed, product_no, 'brand?') % 1000 >= 150 THEN getvariable('brands')[1 + brand_no] END, ',',
         -- heavy-tailed prices as published: from 0.77 to ~2,550, median ~175
         round(exp(-0.26 + 8.08 * pow((hash(seed, product_no, 'price') % 1000003) / 1000003.0, 0.576)), 2)
           ::DECIMAL(10, 2), ',',
         -- power law over users: a few users have many sessions
         500000000 + floor(users * pow((hash(seed, session_no, 'user') % 1000003) / 1000003.0, 1.6))::BIGINT * 13,
         ',', md5(seed::VARCHAR || ':' || session_no::VARCHAR)::UUID
       ) AS "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session"
FROM products
