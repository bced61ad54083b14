-- Silver step 1: parse and type every Bronze message; `reason` says why a record is quarantined (NULL = valid).
-- Input: bronze_batch (topic, partition, offset, key, value BLOB, headers MAP, kafka_timestamp, ingest_time).
-- Only a quarantined record keeps its raw text and bytes (text, value): carried for every row, they were most
-- of each row's bytes and made a 1M-row batch spill to disk (parse 27.6 µs a row of CPU).
WITH decoded AS (
  SELECT topic, "partition", "offset", kafka_timestamp,
         headers['clickpulse.source'] AS source_id,
         TRY_CAST(headers['clickpulse.row'] AS BIGINT) AS source_row,
         TRY(decode(value)) AS text,
         value
  FROM bronze_batch
),
-- One pass over each document for all fields (each `->>'…'` would parse it again; json() first parsed it and
-- wrote it out again, 1.2 µs a row); a document that does not parse gives NULL.
extracted AS (
  SELECT *, TRY(json_extract_string(text, ['$.event_time', '$.event_type', '$.product_id', '$.category_id',
    '$.category_code', '$.brand', '$.price', '$.user_id', '$.user_session', '$.order_id'])) AS f
  FROM decoded
),
fields AS (
  SELECT * EXCLUDE (f),
    f IS NULL AS not_json,
    f[1] AS event_time_text,
    TRY_CAST(f[1] AS TIMESTAMPTZ) AS event_time,
    lower(trim(f[2])) AS event_type_text,
    nullif(trim(f[3]), '') AS product_id,
    nullif(trim(f[4]), '') AS category_id,
    nullif(trim(f[5]), '') AS category_code,
    nullif(trim(f[6]), '') AS brand,
    f[7] AS price_text,
    TRY_CAST(f[7] AS DECIMAL(18, 2)) AS price,
    nullif(trim(f[8]), '') AS user_id,
    nullif(trim(f[9]), '') AS user_session,
    nullif(trim(f[10]), '') AS order_id
  FROM extracted
),
-- The names event_rules.sql reads.
named AS (
  SELECT *, event_time_text AS time_text, event_time AS ts, event_type_text AS type_text FROM fields
),
checked AS (
  SELECT * EXCLUDE (time_text, ts, type_text),
  CASE event_type_text
    WHEN 'add_to_cart' THEN 'cart'
    WHEN 'addtocart' THEN 'cart'
    WHEN 'remove' THEN 'remove_from_cart'
    WHEN 'removefromcart' THEN 'remove_from_cart'
    WHEN 'buy' THEN 'purchase'
    WHEN 'order' THEN 'purchase'
    WHEN 'transaction' THEN 'purchase'
    WHEN 'page_view' THEN 'view'
    WHEN 'pageview' THEN 'view'
    ELSE event_type_text
  END AS event_type,
  CASE
    WHEN text IS NULL THEN 'value is not valid UTF-8'
    WHEN not_json THEN 'value is not JSON'
    -- A document that parses is an object exactly when it starts with '{' (after JSON's white space).
    WHEN left(ltrim(text, chr(32) || chr(9) || chr(10) || chr(13)), 1) <> '{' THEN 'value is not a JSON object'
    -- The event's own rules, shared with the replay's dead-letter check:
    /* event_rules.sql */
  END AS reason
FROM named
)
SELECT * EXCLUDE (text, value, not_json, event_time_text, event_type_text, price_text),
  CASE WHEN reason IS NOT NULL THEN text END AS text,
  CASE WHEN reason IS NOT NULL THEN value END AS value
FROM checked
