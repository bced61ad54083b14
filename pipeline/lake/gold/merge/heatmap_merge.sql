-- hourly_heatmap, incremental: the table (g_heatmap_old) plus the new Silver rows (g_new) counted by UTC weekday
-- and hour. Same columns as ../hourly_heatmap.sql.
WITH utc AS (SELECT *, make_timestamp(epoch_us(event_time)) AS utc_time FROM g_new),
added AS (
  SELECT
    CAST(isodow(utc_time) AS INTEGER) AS day_of_week,
    dayname(utc_time) AS day_name,
    CAST(hour(utc_time) AS INTEGER) AS hour,
    count(*) AS events,
    count(*) FILTER (WHERE event_type = 'purchase') AS purchases,
    coalesce(sum(price) FILTER (WHERE event_type = 'purchase'), 0) AS revenue
  FROM utc
  GROUP BY ALL
)
SELECT
  day_of_week,
  coalesce(o.day_name, d.day_name) AS day_name,
  hour,
  CAST(coalesce(o.events, 0) + coalesce(d.events, 0) AS BIGINT) AS events,
  CAST(coalesce(o.purchases, 0) + coalesce(d.purchases, 0) AS BIGINT) AS purchases,
  CAST(coalesce(o.revenue, 0) + coalesce(d.revenue, 0) AS DECIMAL(38, 2)) AS revenue
FROM g_heatmap_old o FULL JOIN added d USING (day_of_week, hour)
ORDER BY day_of_week, hour
