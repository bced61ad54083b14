-- hourly_heatmap — grain: ISO day of week (1 = Monday) × hour, both of the UTC wall clock.
WITH utc AS (SELECT *, make_timestamp(epoch_us(event_time)) AS utc_time FROM silver_events)
SELECT
  CAST(isodow(utc_time) AS INTEGER) AS day_of_week,
  dayname(utc_time) AS day_name,
  CAST(hour(utc_time) AS INTEGER) AS hour,
  count(*) AS events,
  count(*) FILTER (WHERE event_type = 'purchase') AS purchases,
  coalesce(sum(price) FILTER (WHERE event_type = 'purchase'), 0) AS revenue
FROM utc
GROUP BY ALL
ORDER BY day_of_week, hour
