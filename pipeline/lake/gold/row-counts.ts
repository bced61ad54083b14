import { withLakeDb } from '../duckdb';
import { lakePaths } from '../layout';
import { goldFiles, goldRows } from './refresh';
import { goldTables } from './tables';

/** Rows per Gold table that exists in the lake. */
export async function goldRowCounts(lake: string): Promise<Record<string, number>> {
  return withLakeDb(async (db) => {
    const out: Record<string, number> = {};
    for (const table of Object.keys(goldTables)) {
      const dir = lakePaths(lake).goldTable(table);
      if (goldFiles(dir).length) out[table] = await goldRows(db, dir);
    }
    return out;
  });
}
