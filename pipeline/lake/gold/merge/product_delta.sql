-- product_performance, incremental: what a refresh adds per product (inputs as in user_delta.sql). A session
-- counts in view_sessions (view_purchase_sessions) once it viewed (viewed and purchased) the product: those
-- that do now over g_all and did not over g_old are new.
WITH events AS (
  SELECT *, max(event_time) OVER (PARTITION BY product_id) AS latest
  FROM g_new
  WHERE product_id IS NOT NULL
),
added AS (
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
),
pairs_all AS (
  SELECT product_id, session_id, bool_or(event_type = 'view') AS viewed, bool_or(event_type = 'purchase') AS purchased
  FROM g_all WHERE product_id IS NOT NULL GROUP BY ALL
),
pairs_old AS (
  SELECT product_id, session_id, bool_or(event_type = 'view') AS viewed, bool_or(event_type = 'purchase') AS purchased
  FROM g_old WHERE product_id IS NOT NULL GROUP BY ALL
),
sessions AS (
  SELECT
    a.product_id,
    count(*) FILTER (WHERE a.viewed AND NOT coalesce(o.viewed, false)) AS view_sessions,
    count(*) FILTER (WHERE a.viewed AND a.purchased AND NOT coalesce(o.viewed AND o.purchased, false)) AS view_purchase_sessions
  FROM pairs_all a LEFT JOIN pairs_old o USING (product_id, session_id)
  GROUP BY a.product_id
)
SELECT added.*, coalesce(view_sessions, 0) AS view_sessions, coalesce(view_purchase_sessions, 0) AS view_purchase_sessions
FROM added LEFT JOIN sessions USING (product_id)
