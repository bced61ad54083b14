-- Silver step 5: the kept events (dedup.sql), sessionized. Input: silver_kept.
WITH
-- Events without a user_session get 30-minute inactivity sessions per user.
gaps AS (
  SELECT *,
    CASE WHEN user_session IS NULL
          AND (lag(event_time) OVER by_user IS NULL OR event_time - lag(event_time) OVER by_user > INTERVAL 30 MINUTE)
         THEN 1 ELSE 0 END AS starts_session
  FROM silver_kept
  WINDOW by_user AS (PARTITION BY user_id, user_session IS NULL ORDER BY event_time, event_id)
),
numbered AS (
  SELECT *, sum(starts_session) OVER (PARTITION BY user_id, user_session IS NULL ORDER BY event_time, event_id
                                      ROWS UNBOUNDED PRECEDING) AS session_number
  FROM gaps
)
SELECT
  event_id,
  event_time,
  event_date,
  -- UTC whatever the DuckDB session's time zone: timezone('UTC', …) is the UTC wall clock.
  CAST(hour(timezone('UTC', event_time)) AS INTEGER) AS event_hour,
  event_type,
  product_id,
  category_id,
  category_code,
  nullif(split_part(category_code, '.', 1), '') AS category_l1,
  nullif(split_part(category_code, '.', 2), '') AS category_l2,
  nullif(split_part(category_code, '.', 3), '') AS category_l3,
  brand,
  price,
  user_id,
  user_session,
  -- Named by user and start time (not a running number), so ids stay unique when Silver grows batch by batch.
  coalesce(user_session, user_id || '-' || strftime(
    timezone('UTC', min(event_time) OVER (PARTITION BY user_id, user_session IS NULL, session_number)), '%Y%m%dT%H%M%S')) AS session_id,
  order_id,
  source_id,
  source_row,
  topic,
  "partition",
  "offset",
  kafka_timestamp
FROM numbered
