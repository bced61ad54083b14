-- Silver step 3: deduplication — every valid event with its outcome. Inputs: silver_valid (keys.sql, this
-- step's events) and silver_prior (the ledger: every event Silver saw before on the same UTC days).
--   replayed_again            its lineage (source and row) was seen before: the same file replayed again, or
--                             a producer's retry. An event without lineage (a foreign producer) falls back to
--                             its content: the same content seen before.
--   duplicate_in_source       same content as an event kept from the same source under another row: exact
--                             duplicate rows in the source file (REES46 has bursts of identical cart rows)
--   duplicate_across_sources  same content as an event kept from another source
--   kept                      everything else: it is in silver.events
-- Of several copies the first in (topic, partition, offset) order is kept, and what Silver holds comes first.
-- late: a kept event older than an event of the same user and UTC day that arrived before it (in an earlier
-- step, or at a lower offset of the same partition); it still lands in its own day.
-- What Silver holds is looked up for this step's keys only (semi-joins on silver_valid), so the day's ledger is
-- read column by column and never aggregated whole.
-- The windows below sort only the columns they need (keyed by silver_valid's rowid), and the outcome is joined
-- back to the whole rows once: sorting whole rows three times made a 1M-row batch spill (20 → 6 µs a row).
WITH keys AS (
  SELECT rowid AS rid, topic, "partition", "offset", lineage, event_id, source_id, event_date, user_id, event_time
  FROM silver_valid
),
prior_lineage AS (
  SELECT DISTINCT lineage FROM silver_prior
  WHERE lineage IN (SELECT lineage FROM silver_valid WHERE lineage IS NOT NULL)
),
prior_kept AS (
  SELECT event_id, any_value(source_id) AS source_id FROM silver_prior
  WHERE outcome = 'kept' AND event_id IN (SELECT event_id FROM silver_valid)
  GROUP BY event_id
),
prior_latest AS (
  SELECT event_date, user_id, max(event_time) AS latest FROM silver_prior
  WHERE outcome = 'kept' AND user_id IN (SELECT user_id FROM silver_valid)
  GROUP BY ALL
),
by_lineage AS (
  SELECT *,
    lineage IS NOT NULL AND (
      lineage IN (SELECT lineage FROM prior_lineage)
      OR row_number() OVER (PARTITION BY lineage ORDER BY topic, "partition", "offset") > 1
    ) AS lineage_seen
  FROM keys
),
by_content AS (
  SELECT b.*,
    k.event_id IS NOT NULL AS in_silver,
    k.source_id AS silver_source,
    row_number() OVER same_content AS copy,
    first_value(b.source_id) OVER same_content AS first_source
  FROM by_lineage b LEFT JOIN prior_kept k ON k.event_id = b.event_id
  WINDOW same_content AS (PARTITION BY b.event_id, b.lineage_seen ORDER BY b.topic, b."partition", b."offset")
),
outcomes AS (
  SELECT * EXCLUDE (in_silver, silver_source, copy, first_source, lineage_seen),
    CASE
      WHEN lineage_seen THEN 'replayed_again'
      WHEN NOT in_silver AND copy = 1 THEN 'kept'
      WHEN lineage IS NULL THEN 'replayed_again'
      WHEN (CASE WHEN in_silver THEN silver_source ELSE first_source END) IS NOT DISTINCT FROM source_id
        THEN 'duplicate_in_source'
      ELSE 'duplicate_across_sources'
    END AS outcome
  FROM by_content
),
flags AS (
  SELECT o.rid, o.outcome,
    coalesce(o.outcome = 'kept' AND o.event_time < greatest(
      p.latest,
      max(CASE WHEN o.outcome = 'kept' THEN o.event_time END) OVER (
        PARTITION BY o.event_date, o.user_id, o.topic, o."partition" ORDER BY o."offset"
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    ), false) AS late
  FROM outcomes o LEFT JOIN prior_latest p ON p.event_date = o.event_date AND p.user_id = o.user_id
)
SELECT v.*, f.outcome, f.late
FROM silver_valid v JOIN flags f ON f.rid = v.rowid
