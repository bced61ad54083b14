import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../../query/sql-builder';
import { currentParquetNames } from '../files';
import { lakePaths } from '../layout';
import { goldTables } from './tables';
import { refreshWholeLake, silverDays, WHOLE_LAKE } from './whole-lake';

/**
 * Tables whose rows for a day depend only on that day's events: partitioned by event_date
 * (`gold/<table>/event_date=YYYY-MM-DD/data.parquet`, event_date also inside the file, so a reader with or
 * without hive partitioning sees the same columns), and only the days that changed are rewritten.
 */
export const DAY_GRAINED = new Set(['traffic_minute', 'funnel_daily', 'category_daily', 'brand_daily']);

const DAY_FOLDER = /^event_date=(\d{4}-\d{2}-\d{2})$/;

/**
 * Writes the Gold tables from Silver, each file replaced atomically (temp + rename). Day-grained tables write
 * one file per day from its SQL file: with `dates` only those days (a day with no events left loses its file),
 * without it every day Silver has, and days Silver no longer has are removed. Tables over sessions, users,
 * products or all time are kept by refreshWholeLake (whole-lake.ts) from the Silver rows Gold has not taken in
 * yet: a refresh costs what is new, not the lake; without `dates` they are recomputed from all of Silver.
 * Batch build and the refiner both call this. Returns the row count per table.
 */
export async function refreshGold(
  db: DuckDBConnection,
  lake: string,
  dates: string[] | null = null,
): Promise<Record<string, number>> {
  const paths = lakePaths(lake);
  // Silver's columns (each day reads its own current files: writeDay).
  await db.run(`CREATE OR REPLACE TEMP VIEW silver_all AS SELECT * FROM read_parquet(
    ${quoteLiteral(join(paths.silverEvents, '**', '*.parquet'))}, hive_partitioning = true)`);
  // From the folder names: opening every Silver file to list its days would cost the lake.
  const allDates = silverDays(lake);
  const rows: Record<string, number> = {};
  for (const table of DAY_GRAINED) {
    const sql = goldTables[table] ?? '';
    const dir = paths.goldTable(table);
    mkdirSync(dir, { recursive: true });
    const whole = join(dir, 'data.parquet');
    // A lake from before partitioning (one file per table) is rewritten whole once.
    const days = dates === null || existsSync(whole) ? allDates : dates;
    for (const day of days) await writeDay(db, lake, dir, sql, day);
    rmSync(whole, { force: true });
    if (dates === null || days === allDates) {
      const keep = new Set(allDates);
      for (const name of readdirSync(dir)) {
        const day = DAY_FOLDER.exec(name)?.[1];
        if (day && !keep.has(day)) rmSync(join(dir, name), { recursive: true, force: true });
      }
    }
    rows[table] = await goldRows(db, dir);
  }
  await refreshWholeLake(db, lake, dates);
  for (const table of WHOLE_LAKE) rows[table] = await goldRows(db, paths.goldTable(table));
  return rows;
}

async function writeDay(
  db: DuckDBConnection,
  lake: string,
  dir: string,
  sql: string,
  day: string,
): Promise<void> {
  // The day's current files (a list, not a glob: lake/files.ts); silver_all's columns when it has none. Their
  // rows are the folder's day, as the glob's partition filter took them (a file may carry its own event_date).
  const dayDir = lakePaths(lake).silverEventsDate(day);
  const files = currentParquetNames(dayDir).map((n) => quoteLiteral(join(dayDir, n)));
  await db.run(
    files.length
      ? `CREATE OR REPLACE TEMP VIEW silver_events AS SELECT * REPLACE (${quoteLiteral(day)}::DATE AS event_date)
         FROM read_parquet([${files.join(', ')}], hive_partitioning = true)`
      : `CREATE OR REPLACE TEMP VIEW silver_events AS SELECT * FROM silver_all WHERE false`,
  );
  const folder = join(dir, `event_date=${day}`);
  mkdirSync(folder, { recursive: true });
  const temp = join(folder, `.data-${process.pid}.parquet.tmp`);
  await db.run(`COPY (${sql}) TO ${quoteLiteral(temp)} (FORMAT parquet, COMPRESSION zstd)`);
  const empty = (
    await db.runAndReadAll(`SELECT count(*) FROM read_parquet(${quoteLiteral(temp)})`)
  ).getRowsJS()[0]?.[0];
  if (Number(empty) === 0) {
    rmSync(folder, { recursive: true, force: true });
    return;
  }
  renameSync(temp, join(folder, 'data.parquet'));
}

/** A Gold table's committed files (temp files start with '.'), whatever its layout. */
export function goldFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.parquet') && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Rows of a Gold table, from the Parquet footers. */
export async function goldRows(db: DuckDBConnection, dir: string): Promise<number> {
  const files = goldFiles(dir);
  if (files.length === 0) return 0;
  const result = await db.runAndReadAll(
    `SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata([${files.map(quoteLiteral).join(', ')}])`,
  );
  return Number(result.getRowsJS()[0]?.[0] ?? 0);
}
