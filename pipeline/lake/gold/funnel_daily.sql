-- funnel_daily — grain: one row per day. Conversions are session-based: of the sessions that viewed,
-- the share that carted (view_to_cart), of those that carted, the share that purchased, and so on.
WITH daily AS (
  SELECT
    event_date,
    count(*) FILTER (WHERE event_type = 'view') AS views,
    count(*) FILTER (WHERE event_type = 'cart') AS carts,
    count(*) FILTER (WHERE event_type = 'remove_from_cart') AS removals,
    count(*) FILTER (WHERE event_type = 'purchase') AS purchases,
    count(DISTINCT user_id) FILTER (WHERE event_type = 'view') AS view_users,
    count(DISTINCT user_id) FILTER (WHERE event_type = 'cart') AS cart_users,
    count(DISTINCT user_id) FILTER (WHERE event_type = 'purchase') AS purchase_users,
    count(DISTINCT session_id) FILTER (WHERE event_type = 'view') AS view_sessions,
    count(DISTINCT session_id) FILTER (WHERE event_type = 'cart') AS cart_sessions,
    count(DISTINCT session_id) FILTER (WHERE event_type = 'purchase') AS purchase_sessions,
    coalesce(sum(price) FILTER (WHERE event_type = 'purchase'), 0) AS revenue
  FROM silver_events
  GROUP BY event_date
)
SELECT *,
  cart_sessions / nullif(view_sessions, 0) AS view_to_cart,
  purchase_sessions / nullif(cart_sessions, 0) AS cart_to_purchase,
  purchase_sessions / nullif(view_sessions, 0) AS view_to_purchase
FROM daily
ORDER BY event_date
