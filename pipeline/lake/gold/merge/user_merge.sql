-- user_activity, incremental: a bucket's rows (g_user_old) with the refresh's additions (g_user_delta).
-- Same columns, in the same order, as ../user_activity.sql.
SELECT
  coalesce(o.user_id, d.user_id) AS user_id,
  least(o.first_seen, d.first_seen) AS first_seen,
  greatest(o.last_seen, d.last_seen) AS last_seen,
  CAST(coalesce(o.sessions, 0) + coalesce(d.sessions, 0) AS BIGINT) AS sessions,
  CAST(coalesce(o.events, 0) + coalesce(d.events, 0) AS BIGINT) AS events,
  CAST(coalesce(o.purchases, 0) + coalesce(d.purchases, 0) AS BIGINT) AS purchases,
  CAST(coalesce(o.orders, 0) + coalesce(d.orders, 0) AS BIGINT) AS orders,
  CAST(coalesce(o.revenue, 0) + coalesce(d.revenue, 0) AS DECIMAL(38, 2)) AS revenue
FROM g_user_old o FULL JOIN g_user_delta d USING (user_id)
