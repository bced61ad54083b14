-- hourly_heatmap — grain: ISO day of week (1 = Monday) × UTC hour.
SELECT
  CAST(isodow(event_time) AS INTEGER) AS day_of_week,
  dayname(event_time) AS day_name,
  CAST(hour(event_time) AS INTEGER) AS hour,
  count(*) AS events,
  count(*) FILTER (WHERE event_type = 'purchase') AS purchases,
  coalesce(sum(price) FILTER (WHERE event_type = 'purchase'), 0) AS revenue
FROM silver_events
GROUP BY ALL
ORDER BY day_of_week, hour
