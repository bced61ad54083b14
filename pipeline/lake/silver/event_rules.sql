-- The rules a record must pass to be an event, written once: WHEN clauses of the CASE that gives its reason
-- (no clause matches: it is an event). The replay sends a source row that fails them to the dead-letter topic
-- with the reason (replay/run/normalize-sql.ts); Silver quarantines a message that fails them (parse.sql).
-- Columns: time_text (event_time as text, NULL when missing), ts (its instant, NULL when it is not a
-- timestamp), type_text (event_type, NULL or '' when missing), user_id (NULL when missing), price_text,
-- price (DECIMAL(18, 2), NULL when not a number).
WHEN time_text IS NULL THEN 'event_time is missing'
WHEN ts IS NULL THEN 'event_time is not a timestamp: ' || time_text
-- Before 1995-01-01 UTC (REES46 has faulty 1970-01-01 rows). epoch_ms reads a TIMESTAMP as UTC and a
-- TIMESTAMPTZ as its instant, so the rule holds whatever the session's time zone.
WHEN epoch_ms(ts) < 788918400000 THEN 'event_time is implausibly early: ' || time_text
WHEN type_text IS NULL OR type_text = '' THEN 'event_type is missing'
WHEN user_id IS NULL THEN 'user_id is missing'
WHEN price_text IS NOT NULL AND price IS NULL THEN 'price is not a number: ' || price_text
WHEN price < 0 THEN 'price is negative: ' || price_text
