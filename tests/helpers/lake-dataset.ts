import type { DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { lakePaths } from '../../pipeline/lake/layout';
import type { BronzeSlice } from '../../pipeline/lake/silver/state';

/**
 * A generated three-day clickstream written as Bronze the way the stream writes it, built with DuckDB SQL
 * independently of the lake's code. Source `gen-a` (time-ordered, users at random, a fifth of the rows without
 * user_session, bursts of exact duplicate rows, sessions across midnight), then source `gen-b` (late events:
 * older than what came before, some at 23:5x of a day after the next day arrived, all with user_session),
 * then `gen-a` replayed again. A user's messages are all in one partition (keyed by user), in arrival order;
 * each partition is cut into files of `fileRows`.
 *
 * Leaves table `arrivals` in `db` (seq, source, source_row, partition, offset, and the event's columns t,
 * event_type, product_id, category_id, category_code, brand, price, user_id, user_session), and returns the
 * Bronze files in commit order (interleaved across partitions).
 */
export async function writeGeneratedBronze(
  db: DuckDBConnection,
  lake: string,
  rows = 2400,
  fileRows = 37,
): Promise<BronzeSlice[]> {
  const topic = 'clickpulse_events';
  await db.run(`
    SET TimeZone = 'UTC';
    CREATE OR REPLACE TABLE base AS
    SELECT i,
      TIMESTAMPTZ '2019-10-01 00:00:00+00' + to_seconds(i * 108) AS t,
      'u' || (hash(i) % 12) AS user_id,
      CASE hash(i * 3) % 10 WHEN 0 THEN 'cart' WHEN 1 THEN 'purchase' WHEN 2 THEN 'cart' ELSE 'view' END AS event_type,
      'p' || (hash(i * 5) % 40) AS product_id,
      'c' || (hash(i * 5) % 40 % 7) AS category_id,
      CASE hash(i * 5) % 40 % 7 WHEN 0 THEN NULL WHEN 1 THEN 'electronics.audio.headphone' ELSE 'appliances.kitchen' END AS category_code,
      CASE hash(i * 11) % 4 WHEN 0 THEN NULL ELSE 'b' || (hash(i * 11) % 4) END AS brand,
      CAST((hash(i * 13) % 100000) / 100 AS DECIMAL(18, 2)) AS price
    FROM range(${rows}) r(i);
    CREATE OR REPLACE TABLE gen_a AS
    SELECT row_number() OVER (ORDER BY i, copy) AS source_row, * EXCLUDE (copy, i),
      CASE WHEN hash(i * 17) % 5 = 0 THEN NULL ELSE user_id || '-s' || (i // 300) END AS user_session
    FROM base, range(CAST(CASE WHEN hash(i * 19) % 12 = 0 THEN 2 + hash(i) % 2 ELSE 1 END AS BIGINT)) c(copy);
    CREATE OR REPLACE TABLE gen_b AS
    SELECT row_number() OVER (ORDER BY i, copy) AS source_row,
      CASE WHEN i < 20 THEN TIMESTAMPTZ '2019-10-01 23:50:00+00' + to_seconds(i * 25)
           ELSE TIMESTAMPTZ '2019-10-01 00:00:00+00' + to_seconds(i * 3331 % 250000) END AS t,
      'u' || (hash(i * 23) % 12) AS user_id, 'view' AS event_type, 'late' || i AS product_id, 'c9' AS category_id,
      'sport.bike' AS category_code, 'late' AS brand, CAST(i AS DECIMAL(18, 2)) AS price,
      'u' || (hash(i * 23) % 12) || '-late' AS user_session
    FROM range(80) r(i), range(CASE WHEN i % 10 = 3 THEN 2 ELSE 1 END) c(copy);
    CREATE OR REPLACE TABLE arrivals AS
    WITH a AS (
      SELECT 1 AS pass, 'gen-a' AS source, * FROM gen_a
      UNION ALL BY NAME SELECT 2 AS pass, 'gen-b' AS source, * FROM gen_b
      UNION ALL BY NAME SELECT 3 AS pass, 'gen-a' AS source, * FROM gen_a
    )
    SELECT row_number() OVER (ORDER BY pass, source_row) AS seq, *,
      CAST(hash(user_id) % 3 AS INTEGER) AS "partition",
      CAST(row_number() OVER (PARTITION BY hash(user_id) % 3 ORDER BY pass, source_row) - 1 AS BIGINT) AS "offset"
    FROM a;
    CREATE OR REPLACE TABLE messages AS
    SELECT '${topic}' AS topic, "partition", "offset", user_id AS key,
      encode(to_json(json_object('event_time', strftime(t, '%Y-%m-%dT%H:%M:%SZ'), 'event_type', event_type,
        'product_id', product_id, 'category_id', category_id, 'category_code', category_code, 'brand', brand,
        'price', CAST(price AS DOUBLE), 'user_id', user_id, 'user_session', user_session, 'order_id', NULL))::VARCHAR) AS value,
      MAP {'clickpulse.source': source, 'clickpulse.row': CAST(source_row AS VARCHAR)} AS headers,
      now() AS kafka_timestamp, now() AS ingest_time, "offset" // ${fileRows} AS chunk
    FROM arrivals;
  `);
  const chunks = await db.runAndReadAll(
    `SELECT "partition", chunk, min("offset"), max("offset") FROM messages GROUP BY ALL ORDER BY chunk, "partition"`,
  );
  const slices: BronzeSlice[] = [];
  for (const [partition, chunk, first, last] of chunks.getRowsJS()) {
    const p = Number(partition);
    mkdirSync(lakePaths(lake).bronzePartition(topic, p), { recursive: true });
    const file = lakePaths(lake).bronzeFile(topic, p, BigInt(first as bigint), BigInt(last as bigint));
    await db.run(`COPY (SELECT * EXCLUDE (chunk) FROM messages WHERE "partition" = ${p} AND chunk = ${String(chunk)}
      ORDER BY "offset") TO '${file}' (FORMAT parquet)`);
    slices.push({
      partition: p,
      first: Number(first),
      last: Number(last),
      file: file.slice(lake.length + 1),
    });
  }
  return slices;
}

/**
 * The events the lake must hold, computed from `arrivals` alone: the first copy of each distinct content in
 * arrival order, with `session` (user_session, or 30 minutes of inactivity per user named user-start) and
 * `late` (older than an earlier-arrived event of the same user and UTC day).
 */
export async function expectedEvents(db: DuckDBConnection): Promise<void> {
  await db.run(`
    CREATE OR REPLACE TABLE expected AS
    WITH firsts AS (
      SELECT * FROM arrivals
      QUALIFY row_number() OVER (PARTITION BY t, event_type, product_id, category_id, category_code, brand, price,
        user_id, user_session ORDER BY seq) = 1
    ),
    gaps AS (
      SELECT *, CASE WHEN user_session IS NULL AND coalesce(t - lag(t) OVER w > INTERVAL 30 MINUTE, true) THEN 1 ELSE 0 END AS s
      FROM firsts WINDOW w AS (PARTITION BY user_id, user_session IS NULL ORDER BY t)
    ),
    numbered AS (
      SELECT *, sum(s) OVER (PARTITION BY user_id, user_session IS NULL ORDER BY t ROWS UNBOUNDED PRECEDING) AS n FROM gaps
    )
    SELECT *, CAST(timezone('UTC', t) AS DATE) AS event_date,
      coalesce(user_session, user_id || '-' || strftime(timezone('UTC', min(t) OVER (PARTITION BY user_id, user_session IS NULL, n)), '%Y%m%dT%H%M%S')) AS session,
      coalesce(t < max(t) OVER (PARTITION BY user_id, CAST(timezone('UTC', t) AS DATE) ORDER BY seq
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS late
    FROM numbered`);
}
