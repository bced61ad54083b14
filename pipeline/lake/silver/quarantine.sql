-- Silver step 3: invalid records with the reason, never dropped silently. Input: silver_parsed.
SELECT
  reason,
  topic,
  "partition",
  "offset",
  source_id,
  source_row,
  coalesce(text, '(not UTF-8) ' || CAST(value AS VARCHAR)) AS raw_value,
  kafka_timestamp,
  now() AS quarantined_at
FROM silver_parsed
WHERE reason IS NOT NULL
