-- traffic_minute — grain: one row per UTC minute and event type (minute: truncated on the UTC clock).
SELECT
  timezone('UTC', date_trunc('minute', timezone('UTC', event_time))) AS minute,
  event_date,
  event_type,
  count(*) AS events,
  count(DISTINCT user_id) AS users,
  sum(price) FILTER (WHERE event_type = 'purchase') AS revenue
FROM silver_events
GROUP BY ALL
ORDER BY minute, event_type
