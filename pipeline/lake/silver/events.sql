-- Silver step 5: the kept events (dedup.sql), sessionized. Input: silver_kept (with kept_rid, a row key).
WITH
-- Events without a user_session get 30-minute inactivity sessions per user. Only those rows, and only the
-- columns the windows need, are sorted (sorting every kept row whole for these windows cost ~9 µs a row).
inactive AS (
  SELECT kept_rid, user_id, event_time, event_id FROM silver_kept WHERE user_session IS NULL
),
gaps AS (
  SELECT *,
    CASE WHEN lag(event_time) OVER by_user IS NULL OR event_time - lag(event_time) OVER by_user > INTERVAL 30 MINUTE
         THEN 1 ELSE 0 END AS starts_session
  FROM inactive
  WINDOW by_user AS (PARTITION BY user_id ORDER BY event_time, event_id)
),
numbered AS (
  SELECT *, sum(starts_session) OVER (PARTITION BY user_id ORDER BY event_time, event_id
                                      ROWS UNBOUNDED PRECEDING) AS session_number
  FROM gaps
),
-- Named by user and start time (not a running number), so ids stay unique when Silver grows batch by batch.
inactivity AS (
  SELECT kept_rid, user_id || '-' || strftime(
    timezone('UTC', min(event_time) OVER (PARTITION BY user_id, session_number)), '%Y%m%dT%H%M%S') AS session_id
  FROM numbered
)
SELECT
  k.event_id,
  k.event_time,
  k.event_date,
  -- UTC whatever the DuckDB session's time zone: epoch_us is the instant, make_timestamp its UTC wall clock
  -- (timezone('UTC', …) gives the same through ICU, at 8× the cost).
  CAST(hour(make_timestamp(epoch_us(k.event_time))) AS INTEGER) AS event_hour,
  k.event_type,
  k.product_id,
  k.category_id,
  k.category_code,
  nullif(split_part(k.category_code, '.', 1), '') AS category_l1,
  nullif(split_part(k.category_code, '.', 2), '') AS category_l2,
  nullif(split_part(k.category_code, '.', 3), '') AS category_l3,
  k.brand,
  k.price,
  k.user_id,
  k.user_session,
  coalesce(k.user_session, i.session_id) AS session_id,
  k.order_id,
  k.source_id,
  k.source_row,
  k.topic,
  k."partition",
  k."offset",
  k.kafka_timestamp
FROM silver_kept k LEFT JOIN inactivity i ON i.kept_rid = k.kept_rid
