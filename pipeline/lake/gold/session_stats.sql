-- session_stats — grain: one row per session (user_session, or a 30-minute inactivity session); event_date is
-- the UTC day it started.
SELECT
  session_id,
  arg_min(user_id, (event_time, user_id)) AS user_id, -- of its first event (ties: the smallest user_id)
  CAST(make_timestamp(epoch_us(min(event_time))) AS DATE) AS event_date,
  min(event_time) AS session_start,
  max(event_time) AS session_end,
  CAST(epoch(max(event_time)) - epoch(min(event_time)) AS BIGINT) AS duration_s,
  count(*) AS events,
  count(*) FILTER (WHERE event_type = 'view') AS views,
  count(*) FILTER (WHERE event_type = 'cart') AS carts,
  count(*) FILTER (WHERE event_type = 'purchase') AS purchases,
  bool_or(event_type = 'view') AS viewed,
  bool_or(event_type = 'cart') AS carted,
  bool_or(event_type = 'purchase') AS purchased,
  coalesce(sum(price) FILTER (WHERE event_type = 'purchase'), 0) AS revenue
FROM silver_events
GROUP BY session_id
ORDER BY session_start, session_id
