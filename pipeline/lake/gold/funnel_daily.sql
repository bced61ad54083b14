-- funnel_daily — grain: one row per UTC day. Event counts, and a session-based funnel: a session counts at a
-- step on a day if it had that event type that day. view_to_cart = sessions that viewed AND carted / sessions
-- that viewed; cart_to_purchase = sessions that carted AND purchased / sessions that carted; view_to_purchase =
-- sessions that viewed AND purchased / sessions that viewed. Each is a share of sessions, between 0 and 1.
WITH session_days AS (
  SELECT
    event_date,
    session_id,
    bool_or(event_type = 'view') AS viewed,
    bool_or(event_type = 'cart') AS carted,
    bool_or(event_type = 'purchase') AS purchased
  FROM silver_events
  GROUP BY event_date, session_id
),
sessions AS (
  SELECT
    event_date,
    count(*) FILTER (WHERE viewed) AS view_sessions,
    count(*) FILTER (WHERE carted) AS cart_sessions,
    count(*) FILTER (WHERE purchased) AS purchase_sessions,
    count(*) FILTER (WHERE viewed AND carted) AS view_cart_sessions,
    count(*) FILTER (WHERE carted AND purchased) AS cart_purchase_sessions,
    count(*) FILTER (WHERE viewed AND purchased) AS view_purchase_sessions
  FROM session_days
  GROUP BY event_date
),
events AS (
  SELECT
    event_date,
    count(*) FILTER (WHERE event_type = 'view') AS views,
    count(*) FILTER (WHERE event_type = 'cart') AS carts,
    count(*) FILTER (WHERE event_type = 'remove_from_cart') AS removals,
    count(*) FILTER (WHERE event_type = 'purchase') AS purchases,
    count(DISTINCT user_id) FILTER (WHERE event_type = 'view') AS view_users,
    count(DISTINCT user_id) FILTER (WHERE event_type = 'cart') AS cart_users,
    count(DISTINCT user_id) FILTER (WHERE event_type = 'purchase') AS purchase_users,
    coalesce(sum(price) FILTER (WHERE event_type = 'purchase'), 0) AS revenue
  FROM silver_events
  GROUP BY event_date
)
SELECT
  events.*,
  sessions.* EXCLUDE (event_date),
  view_cart_sessions / nullif(view_sessions, 0) AS view_to_cart,
  cart_purchase_sessions / nullif(cart_sessions, 0) AS cart_to_purchase,
  view_purchase_sessions / nullif(view_sessions, 0) AS view_to_purchase
FROM events JOIN sessions USING (event_date)
ORDER BY event_date
