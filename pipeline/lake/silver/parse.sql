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
fields AS (
  SELECT *,
    j->>'event_time' AS event_time_text,
    TRY_CAST(j->>'event_time' AS TIMESTAMPTZ) AS event_time,
    lower(trim(j->>'event_type')) AS event_type_text,
    nullif(trim(j->>'product_id'), '') AS product_id,
    nullif(trim(j->>'category_id'), '') AS category_id,
    nullif(trim(j->>'category_code'), '') AS category_code,
    nullif(trim(j->>'brand'), '') AS brand,
    j->>'price' AS price_text,
    TRY_CAST(j->>'price' AS DECIMAL(18, 2)) AS price,
    nullif(trim(j->>'user_id'), '') AS user_id,
    nullif(trim(j->>'user_session'), '') AS user_session,
    nullif(trim(j->>'order_id'), '') AS order_id
  FROM parsed
)
SELECT *,
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
    WHEN event_time_text IS NULL THEN 'event_time is missing'
    WHEN event_time IS NULL THEN 'event_time is not a timestamp: ' || event_time_text
    WHEN event_time < TIMESTAMPTZ '1995-01-01 00:00:00+00' THEN 'event_time is implausibly early: ' || event_time_text
    WHEN event_type_text IS NULL OR event_type_text = '' THEN 'event_type is missing'
    WHEN user_id IS NULL THEN 'user_id is missing'
    WHEN price_text IS NOT NULL AND price IS NULL THEN 'price is not a number: ' || price_text
    WHEN price < 0 THEN 'price is negative: ' || price_text
  END AS reason
FROM fields
