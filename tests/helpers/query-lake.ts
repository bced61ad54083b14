import { DuckDBInstance } from '@duckdb/node-api';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { lakePaths } from '../../pipeline/lake/layout';
import { repoRoot } from './workbench';

export const SAMPLE_CSV = join(repoRoot, 'resources', 'rees46-2019-oct-head1000.csv');

/**
 * A small lake built straight from the REES46 sample with DuckDB, for testing readers of the lake (query,
 * export) without the streaming writer: silver.events typed and partitioned by date, one Gold table and
 * one Bronze topic.
 */
export async function buildQueryLake(lake: string): Promise<void> {
  const paths = lakePaths(lake);
  const silverDir = paths.silverEventsDate('2019-10-01');
  const goldDir = paths.goldTable('funnel_daily');
  const bronzeDir = paths.bronzePartition('clickpulse_events', 0);
  await Promise.all([silverDir, goldDir, bronzeDir].map((d) => mkdir(d, { recursive: true })));
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  await db.run(`
    CREATE TABLE src AS
    SELECT row_number() OVER () AS source_row, *
    FROM read_csv('${SAMPLE_CSV}', all_varchar = true);
    CREATE TABLE events AS SELECT
      CAST(replace(event_time, ' UTC', '+00') AS TIMESTAMPTZ) AS event_time,
      event_type, product_id, category_id, nullif(category_code, '') AS category_code, nullif(brand, '') AS brand,
      CAST(price AS DECIMAL(18,2)) AS price, user_id, user_session, source_row
    FROM src;
    COPY (SELECT * FROM events) TO '${join(silverDir, 'part-0.parquet')}' (FORMAT parquet);
    COPY (SELECT CAST(event_time AS DATE) AS event_date,
                 count(*) FILTER (event_type = 'view') AS views,
                 count(*) FILTER (event_type = 'cart') AS carts,
                 count(*) FILTER (event_type = 'purchase') AS purchases,
                 sum(price) FILTER (event_type = 'purchase') AS revenue
          FROM events GROUP BY ALL) TO '${join(goldDir, 'part-0.parquet')}' (FORMAT parquet);
    COPY (SELECT 'clickpulse_events' AS topic, 0 AS partition, CAST(source_row - 1 AS BIGINT) AS "offset",
                 user_id AS key, encode(to_json(src)::VARCHAR) AS value
          FROM src) TO '${join(bronzeDir, `${'0'.padStart(20, '0')}-${'999'.padStart(20, '0')}.parquet`)}' (FORMAT parquet);
  `);
  db.closeSync();
  instance.closeSync();
}
