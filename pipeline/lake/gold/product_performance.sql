-- product_performance — grain: one row per product over everything in the lake (top-N views read from it).
SELECT
  product_id,
  arg_max(category_code, event_time) AS category_code,
  arg_max(brand, event_time) AS brand,
  count(*) FILTER (WHERE event_type = 'view') AS views,
  count(*) FILTER (WHERE event_type = 'cart') AS carts,
  count(*) FILTER (WHERE event_type = 'purchase') AS purchases,
  coalesce(sum(price) FILTER (WHERE event_type = 'purchase'), 0) AS revenue,
  count(*) FILTER (WHERE event_type = 'purchase') / nullif(count(*) FILTER (WHERE event_type = 'view'), 0) AS conversion,
  min(event_time) AS first_seen,
  max(event_time) AS last_seen
FROM silver_events
WHERE product_id IS NOT NULL
GROUP BY product_id
ORDER BY views DESC, product_id
