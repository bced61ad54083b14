-- user_activity — grain: one row per user. An order is an order_id where the source has one, otherwise a
-- session with at least one purchase.
SELECT
  user_id,
  min(event_time) AS first_seen,
  max(event_time) AS last_seen,
  count(DISTINCT session_id) AS sessions,
  count(*) AS events,
  count(*) FILTER (WHERE event_type = 'purchase') AS purchases,
  count(DISTINCT coalesce(order_id, session_id)) FILTER (WHERE event_type = 'purchase') AS orders,
  coalesce(sum(price) FILTER (WHERE event_type = 'purchase'), 0) AS revenue
FROM silver_events
GROUP BY user_id
ORDER BY revenue DESC, user_id
