import { DuckDBInstance } from '@duckdb/node-api';
import { mkdir } from 'node:fs/promises';
import { lakePaths } from '../../pipeline/lake/layout';
import { SAMPLE_CSV } from './query-lake';

/**
 * Writes Bronze files for the REES46 sample as the streaming writer would (data contract: canonical JSON
 * value, lineage headers, offset-named files), built with DuckDB SQL independently of the replay code.
 * `copies` replays the file that many times (offsets continue); `badValues` appends raw values that Silver
 * must quarantine.
 */
export async function writeSampleBronze(
  lake: string,
  options: { copies?: number; badValues?: string[] } = {},
): Promise<number> {
  const paths = lakePaths(lake);
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const copies = options.copies ?? 1;
  await db.run(`
    SET TimeZone = 'UTC';
    CREATE TABLE src AS SELECT row_number() OVER () AS source_row, * FROM read_csv('${SAMPLE_CSV}', all_varchar = true);
    CREATE TABLE canonical AS SELECT source_row, user_id AS key, to_json(json_object(
        'event_time', strftime(CAST(replace(event_time, ' UTC', '+00') AS TIMESTAMPTZ), '%Y-%m-%dT%H:%M:%SZ'),
        'event_type', event_type, 'product_id', product_id, 'category_id', category_id,
        'category_code', nullif(category_code, ''), 'brand', nullif(brand, ''),
        'price', CAST(price AS DOUBLE), 'user_id', user_id, 'user_session', nullif(user_session, ''),
        'order_id', NULL))::VARCHAR AS value
      FROM src;
    CREATE TABLE bad(value VARCHAR);
  `);
  for (const value of options.badValues ?? []) {
    const prepared = await db.prepare('INSERT INTO bad VALUES ($1)');
    prepared.bindVarchar(1, value);
    await prepared.run();
  }
  await db.run(`
    CREATE TABLE messages AS
    WITH copies AS (SELECT range AS copy FROM range(${copies})),
    rows AS (
      SELECT copy, source_row, key, value FROM canonical, copies
      UNION ALL SELECT ${copies}, 100000 + row_number() OVER (), 'bad', value FROM bad
    )
    SELECT 'clickpulse_events' AS topic, CAST(hash(key) % 3 AS INTEGER) AS "partition",
           CAST(row_number() OVER (PARTITION BY hash(key) % 3 ORDER BY copy, source_row) - 1 AS BIGINT) AS "offset",
           key, encode(value) AS value,
           MAP {'clickpulse.source': 'rees46-sample', 'clickpulse.row': CAST(source_row AS VARCHAR)} AS headers,
           now() AS kafka_timestamp, now() AS ingest_time
    FROM rows;
  `);
  for (const partition of [0, 1, 2]) {
    const range = await db.runAndReadAll(
      `SELECT min("offset"), max("offset") FROM messages WHERE "partition" = ${partition}`,
    );
    const [first, last] = range.getRowsJS()[0] ?? [];
    if (first === null || first === undefined) continue;
    await mkdir(paths.bronzePartition('clickpulse_events', partition), { recursive: true });
    const file = paths.bronzeFile(
      'clickpulse_events',
      partition,
      BigInt(first as bigint),
      BigInt(last as bigint),
    );
    await db.run(
      `COPY (SELECT * FROM messages WHERE "partition" = ${partition} ORDER BY "offset") TO '${file}' (FORMAT parquet)`,
    );
  }
  const total = Number((await db.runAndReadAll('SELECT count(*) FROM messages')).getRowsJS()[0]?.[0]);
  db.closeSync();
  instance.closeSync();
  return total;
}
