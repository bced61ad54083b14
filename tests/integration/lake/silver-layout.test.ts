import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSilver } from '../../../pipeline/lake/build';
import { withLakeDb } from '../../../pipeline/lake/duckdb';
import { lakePaths } from '../../../pipeline/lake/layout';
import { addToSilver } from '../../../pipeline/lake/silver/incremental';
import { SILVER_ROW_GROUP_ROWS } from '../../../pipeline/lake/silver/parquet';
import { tempDir } from '../../helpers/temp';

/**
 * Silver's files are written in row groups of SILVER_ROW_GROUP_ROWS rows whoever writes them (a journey
 * reads a user's rows by row number, and decodes each one's whole row group): a day of 20,000 events taken
 * in by one streaming step, then rebuilt by `clickpulse build silver`.
 */
const ROWS = 20_000;
const topic = 'clickpulse_events';
let dir: Awaited<ReturnType<typeof tempDir>>;
let lake: string;
let duck: DuckDBInstance;
let db: DuckDBConnection;

beforeAll(async () => {
  dir = await tempDir('clickpulse-silver-layout-');
  lake = join(dir.path, 'lake');
  duck = await DuckDBInstance.create(':memory:');
  db = await duck.connect();
  const paths = lakePaths(lake);
  mkdirSync(paths.bronzePartition(topic, 0), { recursive: true });
  const file = paths.bronzeFile(topic, 0, 0n, BigInt(ROWS - 1));
  await db.run(`COPY (
      SELECT '${topic}' AS topic, 0 AS "partition", range::BIGINT AS "offset", 'u' || (range % 997) AS key,
        encode(to_json(json_object(
          'event_time', strftime(TIMESTAMPTZ '2019-10-01 00:00:00+00' + to_seconds(range * 2), '%Y-%m-%dT%H:%M:%SZ'),
          'event_type', 'view', 'product_id', 'p' || (range % 101), 'category_id', 'c1', 'category_code', NULL,
          'brand', NULL, 'price', 1.5, 'user_id', 'u' || (range % 997), 'user_session', 's' || (range % 997),
          'order_id', NULL))::VARCHAR) AS value,
        MAP {'clickpulse.source': 'layout', 'clickpulse.row': CAST(range + 1 AS VARCHAR)} AS headers,
        now() AS kafka_timestamp, now() AS ingest_time
      FROM range(${ROWS})
    ) TO '${file}' (FORMAT parquet)`);
}, 60_000);
afterAll(async () => {
  db.closeSync();
  duck.closeSync();
  await dir.remove();
});

/** Rows and the largest row group over every Silver events file. */
async function rowGroups(): Promise<{ rows: number; largest: number; groups: number }> {
  const glob = join(lakePaths(lake).silverEvents, '**', '*.parquet');
  const [row] = (
    await db.runAndReadAll(`SELECT sum(row_group_num_rows)::INTEGER, max(row_group_num_rows)::INTEGER, count(*)::INTEGER
      FROM (SELECT DISTINCT file_name, row_group_id, row_group_num_rows FROM parquet_metadata('${glob}'))`)
  ).getRowsJS() as [[number, number, number]];
  return { rows: row[0], largest: row[1], groups: row[2] };
}

describe("Silver's row groups", () => {
  it('are at most SILVER_ROW_GROUP_ROWS rows after a streaming step', async () => {
    await withLakeDb((lakeDb) =>
      addToSilver(lakeDb, lake, topic, [
        {
          partition: 0,
          first: 0,
          last: ROWS - 1,
          file: lakePaths(lake)
            .bronzeFile(topic, 0, 0n, BigInt(ROWS - 1))
            .slice(lake.length + 1),
        },
      ]),
    );
    const got = await rowGroups();
    expect(got.rows).toBe(ROWS);
    expect(got.largest).toBeLessThanOrEqual(SILVER_ROW_GROUP_ROWS);
    expect(got.groups).toBeGreaterThanOrEqual(Math.ceil(ROWS / SILVER_ROW_GROUP_ROWS));
  });

  it('are at most SILVER_ROW_GROUP_ROWS rows after a batch build', async () => {
    await buildSilver(lake, topic);
    const got = await rowGroups();
    expect(got.rows).toBe(ROWS);
    expect(got.largest).toBeLessThanOrEqual(SILVER_ROW_GROUP_ROWS);
  });
});
