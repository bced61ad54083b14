-- session_daily — grain: one row per UTC day (a session counts on the UTC day it started).
-- bounce_rate: sessions with a single event; cart_abandonment_rate: sessions that carted but did not purchase.
-- avg_duration_s is averaged over whole microseconds, so it does not depend on the order sessions are summed in.
WITH sessions AS (
  SELECT
    session_id,
    CAST(make_timestamp(epoch_us(min(event_time))) AS DATE) AS event_date,
    epoch_us(max(event_time)) - epoch_us(min(event_time)) AS duration_us,
    count(*) AS events,
    bool_or(event_type = 'cart') AS carted,
    bool_or(event_type = 'purchase') AS purchased
  FROM silver_events
  GROUP BY session_id
)
SELECT
  event_date,
  count(*) AS sessions,
  count(*) FILTER (WHERE events = 1) / count(*) AS bounce_rate,
  avg(duration_us) / 1000000 AS avg_duration_s,
  count(*) FILTER (WHERE carted AND NOT purchased) / nullif(count(*) FILTER (WHERE carted), 0) AS cart_abandonment_rate
FROM sessions
GROUP BY event_date
ORDER BY event_date
