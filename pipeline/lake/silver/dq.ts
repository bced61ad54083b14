import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../../query/sql-builder';
import { lakePaths } from '../layout';
import dqDailySql from './dq_daily.sql?raw';

/** A day's committed ledger files (temp files start with '.'). */
export function ledgerFiles(lake: string, date: string, except?: string): string[] {
  const dir = lakePaths(lake).silverLedgerDate(date);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith('.parquet') && !n.startsWith('.') && n !== except)
    .map((n) => join(dir, n));
}

/**
 * Rewrites silver.dq_daily for the given days from their ledger (dq_daily.sql): one file per day,
 * `silver/dq_daily/<date>.parquet` with columns event_date DATE, reason VARCHAR, rows BIGINT, written to a
 * temp name and renamed, so a reader sees the old day or the new one. A day's cost is its ledger's.
 */
export async function writeDqDays(
  db: DuckDBConnection,
  lake: string,
  dates: string[],
  /** Where the day files go (the batch build writes them aside, then swaps the folder in). */
  outDir = lakePaths(lake).silverDq,
): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  for (const date of dates) {
    const files = ledgerFiles(lake, date);
    const target = join(outDir, `${date}.parquet`);
    if (files.length === 0) {
      rmSync(target, { force: true });
      continue;
    }
    const temp = join(outDir, `.${date}.parquet.tmp`);
    await db.run(`CREATE OR REPLACE TEMP VIEW silver_ledger AS
      SELECT * FROM read_parquet([${files.map(quoteLiteral).join(', ')}], hive_partitioning = true);
      COPY (SELECT CAST(event_date AS DATE) AS event_date, CAST(reason AS VARCHAR) AS reason, CAST(rows AS BIGINT) AS rows
            FROM (${dqDailySql})) TO ${quoteLiteral(temp)} (FORMAT parquet)`);
    renameSync(temp, target);
  }
}
