-- category_daily — grain: one row per UTC day, category level 1 and level 2 ('(none)' where the code is empty).
-- conversion = sessions that viewed AND purchased in the category that day / sessions that viewed it (0…1).
WITH session_category AS (
  SELECT
    event_date,
    coalesce(category_l1, '(none)') AS category_l1,
    coalesce(category_l2, '(none)') AS category_l2,
    session_id,
    count(*) FILTER (WHERE event_type = 'view') AS views,
    count(*) FILTER (WHERE event_type = 'cart') AS carts,
    count(*) FILTER (WHERE event_type = 'purchase') AS purchases,
    sum(price) FILTER (WHERE event_type = 'purchase') AS revenue
  FROM silver_events
  GROUP BY ALL
)
SELECT
  event_date,
  category_l1,
  category_l2,
  CAST(sum(views) AS BIGINT) AS views,
  CAST(sum(carts) AS BIGINT) AS carts,
  CAST(sum(purchases) AS BIGINT) AS purchases,
  coalesce(sum(revenue), 0) AS revenue,
  count(*) FILTER (WHERE views > 0) AS view_sessions,
  count(*) FILTER (WHERE views > 0 AND purchases > 0) AS view_purchase_sessions,
  count(*) FILTER (WHERE views > 0 AND purchases > 0) / nullif(count(*) FILTER (WHERE views > 0), 0) AS conversion
FROM session_category
GROUP BY ALL
ORDER BY event_date, category_l1, category_l2
