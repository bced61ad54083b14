import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../../query/sql-builder';
import { scalar } from '../duckdb';
import { currentParquetNames } from '../files';
import { lakePaths } from '../layout';
import { SILVER_PARQUET } from './parquet';
import { addDqCounts, ledgerFiles } from './dq';
import quarantineSql from './quarantine.sql?raw';
import stitchSql from './stitch.sql?raw';
import { advance, readSilverProgress, writeSilverProgress, type BronzeSlice } from './state';
import { batchDates, classifyBatch, parseBronze } from './steps';

export interface SilverStep {
  events: number;
  quarantined: number;
  /** event_date values that received new events (Gold recomputes these). */
  dates: string[];
}

/** A step's name: the same slices always give the same name, so a redone step replaces its own files. */
export function batchName(slices: BronzeSlice[]): string {
  const key = slices.map((s) => `${s.partition}:${s.first}-${s.last}`).join('\n');
  return `part-${createHash('sha256').update(key).digest('hex').slice(0, 16)}.parquet`;
}

/**
 * Adds Bronze slices to Silver with the rules of silver/*.sql (see steps.ts) and advances Silver's watermark.
 * The step is first recorded as pending with its slices; every file it writes is named after them (one per
 * event date for events and for the ledger, one of quarantined records) and replaces the same file of an
 * earlier attempt, never anything else, so readers see whole files and a step a crash cut short is redone
 * exactly. Events are deduplicated against the ledger of the days they fall on, not against Silver's files.
 */
export async function addToSilver(
  db: DuckDBConnection,
  lake: string,
  topic: string,
  slices: BronzeSlice[],
): Promise<SilverStep> {
  const paths = lakePaths(lake);
  const part = batchName(slices);
  const progress = readSilverProgress(lake, topic);
  writeSilverProgress(lake, topic, { ...progress, pending: { batch: part, slices } });
  const list = slices.map((s) => quoteLiteral(join(lake, s.file))).join(', ');
  await db.run(`CREATE OR REPLACE TEMP VIEW bronze_batch AS SELECT * FROM read_parquet([${list}])`);
  await parseBronze(db);
  const dates = await batchDates(db);
  await classifyBatch(
    db,
    dates.flatMap((d) => ledgerFiles(lake, d, part)),
  );
  await stitchSessions(db, lake, dates, part);
  for (const date of dates) {
    const where = `WHERE event_date = ${quoteLiteral(date)}::DATE`;
    await writeFile(
      db,
      `SELECT * EXCLUDE (event_date) FROM silver_new ${where} ORDER BY event_time`,
      paths.silverEventsDate(date),
      part,
      SILVER_PARQUET,
    );
    await writeFile(
      db,
      `SELECT * EXCLUDE (event_date) FROM silver_ledger_new ${where}`,
      paths.silverLedgerDate(date),
      part,
    );
  }
  await addDqCounts(db, lake, dates, part);
  const quarantined = await scalar(db, 'SELECT count(*) FROM silver_parsed WHERE reason IS NOT NULL');
  mkdirSync(paths.quarantine, { recursive: true });
  const qFile = join(paths.quarantine, part);
  if (quarantined > 0) await writeFile(db, quarantineSql, paths.quarantine, part);
  else rmSync(qFile, { force: true });
  const events = await scalar(db, 'SELECT count(*) FROM silver_new');
  // Gold depends on the events only: a replay that added nothing leaves its days alone.
  const changed = await batchDates(db, 'silver_new');
  writeSilverProgress(lake, topic, {
    watermark: advance(progress, slices),
    pending: null,
    goldDates: [...new Set([...(progress.goldDates ?? []), ...changed])].sort(),
  });
  return { events, quarantined, dates: changed };
}

/** COPY to `<dir>/.<name>.tmp`, then rename to `<dir>/<name>`. */
async function writeFile(
  db: DuckDBConnection,
  sql: string,
  dir: string,
  name: string,
  options = 'FORMAT parquet, COMPRESSION zstd',
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${name}.tmp`);
  await db.run(`COPY (${sql}) TO ${quoteLiteral(temp)} (${options})`);
  renameSync(temp, join(dir, name));
}

/**
 * Inactivity sessions (rows without user_session) may have begun in an earlier step: stitch.sql continues a
 * user's first session of this step with their last one in Silver when at most 30 minutes apart (the day
 * before counts, for sessions across midnight).
 */
async function stitchSessions(db: DuckDBConnection, lake: string, dates: string[], part: string) {
  const paths = lakePaths(lake);
  const filesOf = (day: string) => {
    const dir = paths.silverEventsDate(day);
    return currentParquetNames(dir)
      .filter((n) => n !== part)
      .map((n) => join(dir, n));
  };
  const context = [...new Set([...dates, ...dates.map(dayBefore)])].flatMap(filesOf);
  if (context.length === 0) return;
  await db.run(`CREATE OR REPLACE TEMP VIEW silver_context AS
      SELECT user_id, user_session, session_id, event_time FROM read_parquet([${context.map(quoteLiteral).join(', ')}]);
    ${stitchSql}`);
}

function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
