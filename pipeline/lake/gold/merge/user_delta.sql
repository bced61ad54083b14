-- user_activity, incremental: what a refresh adds per user. Inputs: g_new (the Silver rows new since the last
-- refresh), g_old (the earlier Silver rows of the sessions g_new touches), g_all (both) and g_new_orders (the
-- (user_id, order_id) purchase pairs the lake had not seen). A session or an order-less purchase session counts
-- for a user once over the whole lake: what g_all has and g_old had not is new. Every session's earlier rows are
-- in g_old, so the difference is exact.
WITH events AS (
  SELECT
    user_id,
    min(event_time) AS first_seen,
    max(event_time) AS last_seen,
    count(*) AS events,
    count(*) FILTER (WHERE event_type = 'purchase') AS purchases,
    coalesce(sum(price) FILTER (WHERE event_type = 'purchase'), 0) AS revenue
  FROM g_new
  GROUP BY user_id
),
sessions AS (
  SELECT user_id, count(*) AS sessions FROM (
    SELECT DISTINCT user_id, session_id FROM g_all
    EXCEPT SELECT DISTINCT user_id, session_id FROM g_old
  ) GROUP BY user_id
),
buying_sessions AS (
  SELECT user_id, count(*) AS orders FROM (
    SELECT DISTINCT user_id, session_id FROM g_all WHERE event_type = 'purchase' AND order_id IS NULL
    EXCEPT SELECT DISTINCT user_id, session_id FROM g_old WHERE event_type = 'purchase' AND order_id IS NULL
  ) GROUP BY user_id
),
order_ids AS (SELECT user_id, count(*) AS orders FROM g_new_orders GROUP BY user_id)
SELECT
  e.user_id, e.first_seen, e.last_seen, coalesce(s.sessions, 0) AS sessions, e.events, e.purchases,
  coalesce(b.orders, 0) + coalesce(o.orders, 0) AS orders, e.revenue
FROM events e
LEFT JOIN sessions s USING (user_id)
LEFT JOIN buying_sessions b USING (user_id)
LEFT JOIN order_ids o USING (user_id)
