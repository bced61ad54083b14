-- category_daily — grain: one row per day, category level 1 and level 2 ('(none)' where the code is empty).
SELECT
  event_date,
  coalesce(category_l1, '(none)') AS category_l1,
  coalesce(category_l2, '(none)') AS category_l2,
  count(*) FILTER (WHERE event_type = 'view') AS views,
  count(*) FILTER (WHERE event_type = 'cart') AS carts,
  count(*) FILTER (WHERE event_type = 'purchase') AS purchases,
  coalesce(sum(price) FILTER (WHERE event_type = 'purchase'), 0) AS revenue,
  count(*) FILTER (WHERE event_type = 'purchase') / nullif(count(*) FILTER (WHERE event_type = 'view'), 0) AS conversion
FROM silver_events
GROUP BY ALL
ORDER BY event_date, category_l1, category_l2
