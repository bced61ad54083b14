-- session_daily, incremental: one start day's row from its session_stats partition (g_day_sessions), the same
-- figures ../session_daily.sql computes from the events.
SELECT
  event_date,
  count(*) AS sessions,
  count(*) FILTER (WHERE events = 1) / count(*) AS bounce_rate,
  avg(epoch_us(session_end) - epoch_us(session_start)) / 1000000 AS avg_duration_s,
  count(*) FILTER (WHERE carted AND NOT purchased) / nullif(count(*) FILTER (WHERE carted), 0) AS cart_abandonment_rate
FROM g_day_sessions
GROUP BY event_date
