-- product_performance, incremental: the table (g_product_old) with the refresh's additions (g_product_delta).
-- The latest event's category and brand win; at equal times the greatest, as in ../product_performance.sql.
WITH merged AS (
  SELECT
    coalesce(o.product_id, d.product_id) AS product_id,
    CASE WHEN o.product_id IS NULL OR d.last_seen > o.last_seen THEN d.category_code
         WHEN d.product_id IS NULL OR d.last_seen < o.last_seen THEN o.category_code
         ELSE greatest(o.category_code, d.category_code) END AS category_code,
    CASE WHEN o.product_id IS NULL OR d.last_seen > o.last_seen THEN d.brand
         WHEN d.product_id IS NULL OR d.last_seen < o.last_seen THEN o.brand
         ELSE greatest(o.brand, d.brand) END AS brand,
    CAST(coalesce(o.views, 0) + coalesce(d.views, 0) AS BIGINT) AS views,
    CAST(coalesce(o.carts, 0) + coalesce(d.carts, 0) AS BIGINT) AS carts,
    CAST(coalesce(o.purchases, 0) + coalesce(d.purchases, 0) AS BIGINT) AS purchases,
    CAST(coalesce(o.revenue, 0) + coalesce(d.revenue, 0) AS DECIMAL(38, 2)) AS revenue,
    CAST(coalesce(o.view_sessions, 0) + coalesce(d.view_sessions, 0) AS BIGINT) AS view_sessions,
    CAST(coalesce(o.view_purchase_sessions, 0) + coalesce(d.view_purchase_sessions, 0) AS BIGINT) AS view_purchase_sessions,
    least(o.first_seen, d.first_seen) AS first_seen,
    greatest(o.last_seen, d.last_seen) AS last_seen
  FROM g_product_old o FULL JOIN g_product_delta d USING (product_id)
)
SELECT
  product_id, category_code, brand, views, carts, purchases, revenue, view_sessions, view_purchase_sessions,
  view_purchase_sessions / nullif(view_sessions, 0) AS conversion, first_seen, last_seen
FROM merged
ORDER BY views DESC, product_id
