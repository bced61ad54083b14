-- Silver step 2: each valid event's identity. Input: silver_parsed (parse.sql).
-- event_id: a hash of the event's content, so the same event from a retry, a replay or a foreign producer has
-- the same one. lineage: the source file and row it was replayed from (headers clickpulse.source and
-- clickpulse.row), NULL for events from producers that do not send them. event_date: the UTC day.
-- The raw message and its text fields stay behind in silver_parsed (quarantine.sql reads them there): every later
-- step sorts these rows several times, and the raw value is most of a row's bytes.
SELECT * EXCLUDE (value, text, j, event_time_text, event_type_text, price_text, reason),
  md5(to_json(struct_pack(
    t := epoch_ms(event_time), y := event_type, p := product_id, c := category_id, cc := category_code,
    b := brand, pr := CAST(price AS VARCHAR), u := user_id, s := user_session, o := order_id
  ))::VARCHAR) AS event_id,
  CASE WHEN source_id IS NOT NULL AND source_row IS NOT NULL THEN source_id || ':' || source_row END AS lineage,
  CAST(timezone('UTC', event_time) AS DATE) AS event_date
FROM silver_parsed
WHERE reason IS NULL
