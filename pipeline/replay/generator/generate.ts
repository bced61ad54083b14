import { rename, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ApiError } from '../../contract';
import { withLakeDb } from '../../lake/duckdb';
import { quoteLiteral } from '../../query/sql-builder';
import generateSql from './generate.sql?raw';
import { gzipFile } from './gzip-file';
import lookupsSql from './lookups.sql?raw';

export interface GenerateOptions {
  rows: number;
  seed?: number;
  /** First day, YYYY-MM-DD (UTC). */
  start?: string;
  /** Days the events spread over (default: about 1.37M events a day, as in the real month). */
  days?: number;
  /** .csv or .csv.gz */
  out: string;
  force?: boolean;
}

export const MAX_ROWS = 2_000_000_000;

/**
 * Writes a synthetic REES46-style clickstream (see generate.sql for its shape). Deterministic: the same
 * arguments give byte-identical files. Written to a temp name and renamed, so a failed run leaves nothing.
 */
export async function generateDataset(
  options: GenerateOptions,
): Promise<{ path: string; rows: number; bytes: number }> {
  const { rows, seed = 1, start = '2019-10-01', force = false } = options;
  if (
    options.days !== undefined &&
    (!Number.isSafeInteger(options.days) || options.days < 1 || options.days > 3660)
  ) {
    throw new ApiError({
      code: 'VALIDATION',
      message: `days must be a whole number from 1 to 3660, not ${options.days}.`,
    });
  }
  if (!Number.isSafeInteger(rows) || rows < 1 || rows > MAX_ROWS) {
    throw new ApiError({
      code: 'VALIDATION',
      message: `rows must be a whole number from 1 to ${MAX_ROWS.toLocaleString('en-US')}, not ${rows}.`,
    });
  }
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new ApiError({ code: 'VALIDATION', message: `seed must be a whole number ≥ 0, not ${seed}.` });
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || Number.isNaN(Date.parse(`${start}T00:00:00Z`))) {
    throw new ApiError({
      code: 'VALIDATION',
      message: `start must be a date like 2019-10-01, not "${start}".`,
    });
  }
  const path = resolve(options.out);
  const gzip = /\.csv\.gz$/i.test(path);
  if (!gzip && !/\.csv$/i.test(path)) {
    throw new ApiError({ code: 'VALIDATION', message: `The output must end in .csv or .csv.gz: ${path}` });
  }
  if (
    !force &&
    (await stat(path).then(
      () => true,
      () => false,
    ))
  ) {
    throw new ApiError({ code: 'CONFLICT', message: `${path} already exists; pass --force to replace it.` });
  }
  const temp = `${path}.partial-${process.pid}`;
  const plainTemp = gzip ? `${temp}.csv` : temp;
  try {
    await withLakeDb(async (db) => {
      await db.run(
        `SET VARIABLE rows = ${rows}; SET VARIABLE seed = ${seed}; SET VARIABLE start = TIMESTAMPTZ '${start} 00:00:00+00'; SET VARIABLE days = ${options.days ?? 'NULL'}`,
      );
      await db.run(lookupsSql);
      // The query yields each finished line as one text column: DuckDB's CSV writer formats typed columns
      // several times slower than the query concatenates them. A delimiter and quote that never occur make
      // it write the lines (and the header, the column's name) exactly as they are.
      await db.run(
        `COPY (${generateSql}) TO ${quoteLiteral(plainTemp)} (FORMAT csv, HEADER true, DELIMITER '|', QUOTE '')`,
      );
    });
    if (gzip) {
      await gzipFile(plainTemp, temp);
      await rm(plainTemp);
    }
    await rename(temp, path);
  } catch (error) {
    await Promise.all([rm(temp, { force: true }), rm(plainTemp, { force: true })]);
    if (error instanceof ApiError) throw error;
    throw new ApiError({
      code: 'FAILED',
      message: `Could not write ${path}: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  return { path, rows, bytes: (await stat(path)).size };
}
