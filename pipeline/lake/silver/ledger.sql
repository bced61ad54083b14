-- Silver step 4: the ledger — one row per valid event Silver saw, with its outcome (dedup.sql), kept in
-- _state/silver-ledger/event_date=…/: what later steps deduplicate against, and what silver.dq_daily counts.
-- Input: silver_classified (dedup.sql).
SELECT event_date, event_id, lineage, source_id, user_id, event_time, outcome, late,
  user_session IS NULL AS no_session, topic, "partition", "offset"
FROM silver_classified
