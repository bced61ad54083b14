-- product_performance — grain: one row per product over everything in the lake (top-N views read from it).
-- category_code and brand: those of the product's latest event (the greatest when several events share that
-- time; NULL when they have none). conversion = sessions that viewed AND purchased the product / sessions
-- that viewed it (0…1).
WITH events AS (
  SELECT *, max(event_time) OVER (PARTITION BY product_id) AS latest
  FROM silver_events
  WHERE product_id IS NOT NULL
),
session_product AS (
  SELECT
    product_id,
    count(*) FILTER (WHERE viewed) AS view_sessions,
    count(*) FILTER (WHERE viewed AND purchased) AS view_purchase_sessions
  FROM (
    SELECT product_id, session_id, bool_or(event_type = 'view') AS viewed, bool_or(event_type = 'purchase') AS purchased
    FROM events
    GROUP BY ALL
  )
  GROUP BY product_id
),
products AS (
  SELECT
    product_id,
    max(category_code) FILTER (WHERE event_time = latest) AS category_code,
    max(brand) FILTER (WHERE event_time = latest) AS brand,
    count(*) FILTER (WHERE event_type = 'view') AS views,
    count(*) FILTER (WHERE event_type = 'cart') AS carts,
    count(*) FILTER (WHERE event_type = 'purchase') AS purchases,
    coalesce(sum(price) FILTER (WHERE event_type = 'purchase'), 0) AS revenue,
    min(event_time) AS first_seen,
    max(event_time) AS last_seen
  FROM events
  GROUP BY product_id
)
SELECT
  product_id, category_code, brand, views, carts, purchases, revenue, view_sessions, view_purchase_sessions,
  view_purchase_sessions / nullif(view_sessions, 0) AS conversion, first_seen, last_seen
FROM products JOIN session_product USING (product_id)
ORDER BY views DESC, product_id
