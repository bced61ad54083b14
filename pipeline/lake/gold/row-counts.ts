import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { scalar, withLakeDb } from '../duckdb';
import { lakePaths } from '../layout';
import { quoteLiteral } from '../../query/sql-builder';
import { goldTables } from './tables';

/** Rows per Gold table that exists in the lake. */
export async function goldRowCounts(lake: string): Promise<Record<string, number>> {
  return withLakeDb(async (db) => {
    const out: Record<string, number> = {};
    for (const table of Object.keys(goldTables)) {
      const file = join(lakePaths(lake).goldTable(table), 'data.parquet');
      if (existsSync(file))
        out[table] = await scalar(db, `SELECT count(*) FROM read_parquet(${quoteLiteral(file)})`);
    }
    return out;
  });
}
