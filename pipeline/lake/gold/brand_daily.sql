-- brand_daily — grain: one row per day and brand ('(none)' where the brand is empty).
SELECT
  event_date,
  coalesce(brand, '(none)') AS brand,
  count(*) FILTER (WHERE event_type = 'view') AS views,
  count(*) FILTER (WHERE event_type = 'cart') AS carts,
  count(*) FILTER (WHERE event_type = 'purchase') AS purchases,
  coalesce(sum(price) FILTER (WHERE event_type = 'purchase'), 0) AS revenue,
  count(*) FILTER (WHERE event_type = 'purchase') / nullif(count(*) FILTER (WHERE event_type = 'view'), 0) AS conversion
FROM silver_events
GROUP BY ALL
ORDER BY event_date, brand
