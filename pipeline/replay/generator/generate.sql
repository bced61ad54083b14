-- Synthetic clickstream in the REES46 multi-category format. Deterministic: every "random" draw is
-- hash(seed, entity, purpose) mapped to [0, 1), so the same arguments give byte-identical output.
-- Parameters (SET VARIABLE): rows, seed, start (TIMESTAMPTZ). Shape, from the published 2019-Oct figures:
-- ~14 events per user, ~3.5 events per session, view 96 % / cart 2.2 % / purchase 1.75 % (with a few
-- remove_from_cart), power-law popularity of products, a stable price and category per product, brand
-- empty for ~14 % and category_code for ~30 % of products, a daily traffic curve, bursts of exact duplicates.
WITH params AS (
  SELECT getvariable('rows')::BIGINT AS n, getvariable('seed')::BIGINT AS seed, getvariable('start')::TIMESTAMPTZ AS t0
),
sizes AS (
  SELECT n, seed, t0,
         greatest(1, n // 14) AS users,
         greatest(1, n // 300) AS products,
         -- sessions average ~3.7 events; n / 3.4 leaves a surplus that `picked` drops
         greatest(1, ceil(n / 3.4))::BIGINT AS sessions,
         -- about 1.37M events a day, as in the real month
         greatest(1, ceil(n / 1370000.0))::BIGINT AS days
  FROM params
),
-- uniform draw in [0, 1) for (entity, purpose)
sessions AS (
  SELECT s AS session_no,
         -- power law over users: a few users have many sessions
         floor(users * pow((hash(seed, s, 'user') % 1000003) / 1000003.0, 1.6))::BIGINT AS user_no,
         -- day, then an hour drawn from a daily curve (quiet at night, busy in the afternoon and evening)
         floor(days * ((hash(seed, s, 'day') % 1000003) / 1000003.0))::BIGINT AS day_no,
         (hash(seed, s, 'hour') % 1000003) / 1000003.0 AS u_hour,
         (hash(seed, s, 'second') % 3600) AS second_in_hour,
         -- events per session: 1 to 12, mostly short
         1 + floor(11 * pow((hash(seed, s, 'length') % 1000003) / 1000003.0, 2.4))::INTEGER AS length,
                  seed, t0, products
  FROM sizes, range(sessions) AS r(s)
),
timed AS (
  -- the hour comes from a daily curve (UTC): quiet at night, busiest from late morning to afternoon
  SELECT *, t0 + to_days(day_no)
            + to_hours(len(list_filter([0.020, 0.035, 0.050, 0.070, 0.100, 0.140, 0.190, 0.245, 0.300, 0.355,
                                        0.410, 0.465, 0.520, 0.575, 0.630, 0.685, 0.735, 0.785, 0.830, 0.870,
                                        0.905, 0.935, 0.965, 1.000], lambda c: c <= u_hour)))
            + to_seconds(second_in_hour) AS session_start
  FROM sessions
),
events AS (
  SELECT t.*, e AS seq,
         -- power law over products: a few products get most of the views
         floor(products * pow((hash(seed, session_no, e, 'product') % 1000003) / 1000003.0, 2.2))::BIGINT AS product_no,
         (hash(seed, session_no, e, 'type') % 10000) AS type_draw,
         (hash(seed, session_no, e, 'gap') % 120) AS gap_s
  FROM timed t, range(length) AS r(e)
),
typed AS (
  SELECT *,
    -- purchases only after the first event of a session (a buyer has looked first)
    CASE
      WHEN type_draw < 178 THEN 'cart'
      WHEN type_draw < 186 THEN 'remove_from_cart'
      WHEN type_draw < 186 + 245 AND seq > 0 THEN 'purchase'
      ELSE 'view'
    END AS event_type,
    session_start + to_seconds(CAST(sum(gap_s) OVER (PARTITION BY session_no ORDER BY seq) AS BIGINT)) AS event_time
  FROM events
),
catalog AS (
  -- one stable category, brand and price per product
  SELECT product_no,
         1000000 + product_no * 7 + (hash(seed, product_no, 'pid') % 7) AS product_id,
         (hash(seed, product_no, 'category') % 600) AS category_no,
         (hash(seed, product_no, 'brand') % 3000) AS brand_no,
         (hash(seed, product_no, 'code?') % 1000) < 300 AS no_code,
         (hash(seed, product_no, 'brand?') % 1000) < 190 AS no_brand,
         round(exp(1.5 + 4.2 * ((hash(seed, product_no, 'price') % 1000003) / 1000003.0)), 2) AS price
  FROM (SELECT DISTINCT product_no, seed FROM events)
),
categories AS (
  SELECT c AS category_no,
         2053013552000000000 + c * 1234567 AS category_id,
         (['electronics', 'appliances', 'computers', 'apparel', 'furniture', 'construction', 'kids', 'sport',
           'auto', 'accessories', 'country_yard', 'medicine', 'stationery'])[1 + c % 13]
         || '.' || (['smartphone', 'audio', 'kitchen', 'notebook', 'shoes', 'bedroom', 'tools', 'toys', 'bicycle',
                     'bag', 'video', 'environment', 'desktop', 'clocks'])[1 + (c // 13) % 14]
         || CASE WHEN c % 3 = 0 THEN '.' || (['headphone', 'refrigerators', 'washer', 'tv', 'keds', 'sofa'])[1 + c % 6]
                 ELSE '' END AS category_code
  FROM range(600) AS r(c)
),
brands AS (
  SELECT b AS brand_no,
         (['samsung', 'apple', 'xiaomi', 'huawei', 'lg', 'lucente', 'sony', 'oppo', 'bosch', 'acer', 'lenovo',
           'respect', 'cordiant', 'elenberg', 'artel', 'indesit', 'redmond', 'polaris', 'haier', 'hp'])[1 + b % 20]
         || CASE WHEN b >= 20 THEN CAST(b AS VARCHAR) ELSE '' END AS brand
  FROM range(3000) AS r(b)
),
rows AS (
  SELECT e.event_time, e.event_type, k.product_id, g.category_id,
         CASE WHEN k.no_code THEN NULL ELSE g.category_code END AS category_code,
         CASE WHEN k.no_brand THEN NULL ELSE b.brand END AS brand,
         k.price,
         500000000 + e.user_no * 13 + (hash(e.seed, e.user_no, 'uid') % 13) AS user_id,
         regexp_replace(md5(CAST(e.seed AS VARCHAR) || ':' || CAST(e.session_no AS VARCHAR)),
                        '^(.{8})(.{4})(.{4})(.{4})(.{12})$', '\1-\2-\3-\4-\5') AS user_session,
         e.session_no, e.seq,
         -- bursts of exact duplicate rows (the same cart click logged 2-3 times), about 0.4 % of rows
         CASE WHEN e.event_type = 'cart' AND hash(e.seed, e.session_no, e.seq, 'dup') % 100 < 15
              THEN CAST(1 + hash(e.seed, e.session_no, e.seq, 'dups') % 2 AS BIGINT) ELSE 0 END AS extra_copies
  FROM typed e
  JOIN catalog k USING (product_no)
  JOIN categories g ON g.category_no = k.category_no
  JOIN brands b ON b.brand_no = k.brand_no
),
expanded AS (
  SELECT rows.*, c FROM rows, range(1 + extra_copies) AS copies(c)
),
-- the surplus rows are dropped by a hash draw, not from the end, so the last hours keep their traffic
picked AS (
  SELECT * FROM expanded
  QUALIFY row_number() OVER (ORDER BY hash(session_no, seq, c, 'keep'), session_no, seq, c) <= (SELECT n FROM params)
)
SELECT strftime(event_time, '%Y-%m-%d %H:%M:%S') || ' UTC' AS event_time,
       event_type, product_id, category_id, category_code, brand,
       printf('%.2f', price) AS price, user_id, user_session
FROM picked
ORDER BY picked.event_time, session_no, seq, c
