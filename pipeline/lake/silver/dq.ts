import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../../query/sql-builder';
import { currentParquetNames } from '../files';
import { lakePaths } from '../layout';
import dqDailySql from './dq_daily.sql?raw';

/** A day's current ledger files (committed, not replaced by a compaction's merged file). */
export function ledgerFiles(lake: string, date: string, except?: string): string[] {
  const dir = lakePaths(lake).silverLedgerDate(date);
  return currentParquetNames(dir)
    .filter((n) => n !== except)
    .map((n) => join(dir, n));
}

/**
 * Rewrites silver.dq_daily for the given days from their ledger (dq_daily.sql): one file per day,
 * `silver/dq_daily/<date>.parquet` with columns event_date DATE, reason VARCHAR, rows BIGINT, written to a
 * temp name and renamed, so a reader sees the old day or the new one. A day's cost is its ledger's: the batch
 * build uses it; a streaming step adds its own counts instead (addDqCounts).
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

type Counts = Record<string, number>;

/** What `_state/silver-dq/<date>.json` holds: the day's counts before `batch` added its own. */
interface DqBefore {
  batch: string;
  before: Counts;
}

/**
 * Adds the current step's counts (dq_daily.sql over silver_ledger_new, this step's ledger rows) to each
 * day's silver.dq_daily file, so a step costs its own rows, not the day's ledger: the counts are sums, and
 * every reason is a property of one ledger row. A step a crash cut short is redone under the same batch
 * name: the day's counts from before it are kept in `_state/silver-dq/<date>.json` (written before the day's
 * file), so its counts are added once whether the crash came before or after the day's file was replaced.
 */
export async function addDqCounts(
  db: DuckDBConnection,
  lake: string,
  dates: string[],
  batch: string,
): Promise<void> {
  const paths = lakePaths(lake);
  const stepRows = (
    await db.runAndReadAll(`CREATE OR REPLACE TEMP VIEW silver_ledger AS SELECT * FROM silver_ledger_new;
      SELECT CAST(event_date AS VARCHAR), reason, rows FROM (${dqDailySql})`)
  ).getRowsJS();
  const step = new Map<string, Counts>();
  for (const [d, reason, n] of stepRows) {
    const day = step.get(String(d)) ?? {};
    day[String(reason)] = Number(n);
    step.set(String(d), day);
  }
  mkdirSync(paths.silverDq, { recursive: true });
  mkdirSync(paths.silverDqState, { recursive: true });
  for (const date of dates) {
    const stateFile = join(paths.silverDqState, `${date}.json`);
    const target = paths.silverDqDate(date);
    const saved = readDqBefore(stateFile);
    const before = saved?.batch === batch ? saved.before : await readDqDay(db, target);
    writeFileSync(`${stateFile}.tmp`, JSON.stringify({ batch, before } satisfies DqBefore));
    renameSync(`${stateFile}.tmp`, stateFile);
    const total: Counts = { ...before };
    for (const [reason, n] of Object.entries(step.get(date) ?? {})) total[reason] = (total[reason] ?? 0) + n;
    const reasons = Object.keys(total).sort();
    if (reasons.length === 0) {
      rmSync(target, { force: true });
      continue;
    }
    const values = reasons.map((r) => `(${quoteLiteral(r)}, ${total[r]})`).join(', ');
    const temp = join(paths.silverDq, `.${date}.parquet.tmp`);
    await db.run(`COPY (SELECT ${quoteLiteral(date)}::DATE AS event_date, CAST(reason AS VARCHAR) AS reason,
        CAST(rows AS BIGINT) AS rows FROM (VALUES ${values}) AS t(reason, rows) ORDER BY reason)
      TO ${quoteLiteral(temp)} (FORMAT parquet)`);
    renameSync(temp, target);
  }
}

function readDqBefore(file: string): DqBefore | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DqBefore;
  } catch {
    return null;
  }
}

async function readDqDay(db: DuckDBConnection, file: string): Promise<Counts> {
  if (!existsSync(file)) return {};
  const result = await db.runAndReadAll(`SELECT reason, rows FROM read_parquet(${quoteLiteral(file)})`);
  return Object.fromEntries(result.getRowsJS().map(([r, n]) => [String(r), Number(n)]));
}
