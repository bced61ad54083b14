-- product_performance — grain: one row per product over everything in the lake (top-N views read from it).
-- conversion = sessions that viewed AND purchased the product / sessions that viewed it (0…1).
WITH session_product AS (
  SELECT
    product_id,
    session_id,
    arg_max(category_code, event_time) AS category_code,
    arg_max(brand, event_time) AS brand,
    max(event_time) AS last_seen,
    min(event_time) AS first_seen,
    count(*) FILTER (WHERE event_type = 'view') AS views,
    count(*) FILTER (WHERE event_type = 'cart') AS carts,
    count(*) FILTER (WHERE event_type = 'purchase') AS purchases,
    sum(price) FILTER (WHERE event_type = 'purchase') AS revenue
  FROM silver_events
  WHERE product_id IS NOT NULL
  GROUP BY product_id, session_id
)
SELECT
  product_id,
  arg_max(category_code, last_seen) AS category_code,
  arg_max(brand, last_seen) AS brand,
  CAST(sum(views) AS BIGINT) AS views,
  CAST(sum(carts) AS BIGINT) AS carts,
  CAST(sum(purchases) AS BIGINT) AS purchases,
  coalesce(sum(revenue), 0) AS revenue,
  count(*) FILTER (WHERE views > 0) AS view_sessions,
  count(*) FILTER (WHERE views > 0 AND purchases > 0) AS view_purchase_sessions,
  count(*) FILTER (WHERE views > 0 AND purchases > 0) / nullif(count(*) FILTER (WHERE views > 0), 0) AS conversion,
  min(first_seen) AS first_seen,
  max(last_seen) AS last_seen
FROM session_product
GROUP BY product_id
ORDER BY views DESC, product_id
