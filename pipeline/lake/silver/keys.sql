-- Silver step 2: each valid event's identity. Input: silver_parsed (parse.sql).
-- event_id: a hash of the event's content, so the same event from a retry, a replay or a foreign producer has
-- the same one. lineage: the source file and row it was replayed from (headers clickpulse.source and
-- clickpulse.row), NULL for events from producers that do not send them. event_date: the UTC day.
-- A quarantined record's raw message stays behind in silver_parsed (quarantine.sql reads it there).
SELECT * EXCLUDE (value, text, reason),
  md5(to_json(struct_pack(
    t := epoch_ms(event_time), y := event_type, p := product_id, c := category_id, cc := category_code,
    b := brand, pr := CAST(price AS VARCHAR), u := user_id, s := user_session, o := order_id
  ))::VARCHAR) AS event_id,
  CASE WHEN source_id IS NOT NULL AND source_row IS NOT NULL THEN source_id || ':' || source_row END AS lineage,
  -- The UTC day without ICU: make_timestamp(epoch_us(…)) is the instant's UTC wall clock.
  CAST(make_timestamp(epoch_us(event_time)) AS DATE) AS event_date
FROM silver_parsed
WHERE reason IS NULL
