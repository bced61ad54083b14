-- Silver step 1: parse and type every Bronze message; `reason` says why a record is quarantined (NULL = valid).
-- Input: bronze_batch (topic, partition, offset, key, value BLOB, headers MAP, kafka_timestamp, ingest_time).
WITH decoded AS (
  SELECT topic, "partition", "offset", kafka_timestamp,
         headers['clickpulse.source'] AS source_id,
         TRY_CAST(headers['clickpulse.row'] AS BIGINT) AS source_row,
         TRY(decode(value)) AS text,
         value
  FROM bronze_batch
),
parsed AS (
  SELECT *, TRY(json(text)) AS j FROM decoded
),
-- One pass over each document for all fields (each `j->>'…'` would parse it again).
extracted AS (
  SELECT *, json_extract_string(j, ['$.event_time', '$.event_type', '$.product_id', '$.category_id',
    '$.category_code', '$.brand', '$.price', '$.user_id', '$.user_session', '$.order_id']) AS f
  FROM parsed
),
fields AS (
  SELECT * EXCLUDE (f),
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
)
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
    WHEN j IS NULL THEN 'value is not JSON'
    WHEN json_type(j) <> 'OBJECT' THEN 'value is not a JSON object'
    -- The event's own rules, shared with the replay's dead-letter check:
    /* event_rules.sql */
  END AS reason
FROM named
