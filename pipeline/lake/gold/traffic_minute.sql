-- traffic_minute — grain: one row per UTC minute and event type (minute: truncated on the UTC clock).
-- The minute is counted in whole minutes since the epoch (UTC has no offset), and made a timestamp once per
-- group: two timezone() calls a row through ICU were a third of this table's cost.
SELECT
  make_timestamptz(epoch_minute * 60000000) AS minute,
  event_date,
  event_type,
  events,
  users,
  revenue
FROM (
  SELECT
    epoch_us(event_time) // 60000000 AS epoch_minute,
    event_date,
    event_type,
    count(*) AS events,
    count(DISTINCT user_id) AS users,
    sum(price) FILTER (WHERE event_type = 'purchase') AS revenue
  FROM silver_events
  GROUP BY ALL
)
ORDER BY minute, event_type
