-- silver.dq_daily — grain: one row per UTC day and reason with at least one row. Input: silver_ledger (the
-- ledger of the days to count, ledger.sql).
--   duplicate_in_source       exact duplicate rows within a source, dropped (one copy is kept)
--   duplicate_across_sources  the same event from another source, dropped
--   replayed_again            the same source and row seen again (a replay, a retry), dropped
--   late_event                kept, but older than an event of the same user and day that Silver had already
--   no_session                kept without user_session (sessions come from 30 minutes of inactivity)
SELECT event_date, outcome AS reason, count(*) AS rows
FROM silver_ledger WHERE outcome <> 'kept' GROUP BY ALL
UNION ALL
SELECT event_date, 'late_event', count(*) FROM silver_ledger WHERE late GROUP BY ALL
UNION ALL
SELECT event_date, 'no_session', count(*) FROM silver_ledger WHERE outcome = 'kept' AND no_session GROUP BY ALL
ORDER BY event_date, reason
