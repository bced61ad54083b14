import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { scalar } from '../duckdb';
import { lakePaths } from '../layout';
import { quoteLiteral } from '../../query/sql-builder';
import { goldTables } from './tables';

/** Tables whose rows for a day depend only on that day's events: refreshed day by day. */
const DAY_GRAINED = new Set(['traffic_minute', 'funnel_daily', 'category_daily', 'brand_daily']);

/**
 * Writes the Gold tables from Silver, each from its one SQL file, each file replaced atomically (temp +
 * rename). With `dates`, day-grained tables recompute only those days and keep the other days' rows;
 * tables over sessions, users, products or all time are recomputed whole. Batch build and streaming both
 * call this. Returns the row count per table.
 */
export async function refreshGold(
  db: DuckDBConnection,
  lake: string,
  dates: string[] | null = null,
): Promise<Record<string, number>> {
  const paths = lakePaths(lake);
  await db.run(`CREATE OR REPLACE TEMP VIEW silver_all AS SELECT * FROM read_parquet(
    ${quoteLiteral(join(paths.silverEvents, '**', '*.parquet'))}, hive_partitioning = true)`);
  const inDates = dates?.length
    ? `event_date IN (${dates.map((d) => `${quoteLiteral(d)}::DATE`).join(', ')})`
    : null;
  const rows: Record<string, number> = {};
  for (const [table, sql] of Object.entries(goldTables)) {
    const dir = paths.goldTable(table);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'data.parquet');
    const temp = join(dir, `.data-${process.pid}.parquet.tmp`);
    const partial = inDates !== null && DAY_GRAINED.has(table) && existsSync(file);
    await db.run(
      `CREATE OR REPLACE TEMP VIEW silver_events AS SELECT * FROM silver_all ${partial ? `WHERE ${inDates}` : ''}`,
    );
    const query = partial
      ? `SELECT * FROM read_parquet(${quoteLiteral(file)}) WHERE NOT (${inDates})
         UNION ALL BY NAME SELECT * FROM (${sql}) ORDER BY ALL`
      : sql;
    await db.run(`COPY (${query}) TO ${quoteLiteral(temp)} (FORMAT parquet, COMPRESSION zstd)`);
    renameSync(temp, file);
    rows[table] = await scalar(db, `SELECT count(*) FROM read_parquet(${quoteLiteral(file)})`);
  }
  return rows;
}
