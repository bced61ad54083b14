-- user_activity — grain: one row per user. orders = distinct order_ids of the user's purchases that have one, plus
-- distinct sessions with a purchase that has none.
SELECT
  user_id,
  min(event_time) AS first_seen,
  max(event_time) AS last_seen,
  count(DISTINCT session_id) AS sessions,
  count(*) AS events,
  count(*) FILTER (WHERE event_type = 'purchase') AS purchases,
  count(DISTINCT order_id) FILTER (WHERE event_type = 'purchase')
    + count(DISTINCT session_id) FILTER (WHERE event_type = 'purchase' AND order_id IS NULL) AS orders,
  coalesce(sum(price) FILTER (WHERE event_type = 'purchase'), 0) AS revenue
FROM silver_events
GROUP BY user_id
ORDER BY revenue DESC, user_id
