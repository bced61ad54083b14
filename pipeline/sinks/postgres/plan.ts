import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readFile as readParquet, readSource, type SinkDuck } from './duck';
import type { Grain } from './grains';
import { sourceFiles, type SourceFiles } from './source-files';
import { ident, type Column } from './types';

/**
 * What one Gold table needs in PostgreSQL to equal its current Gold file, worked out in DuckDB:
 * - `keys`: the rows that are new or differ, and the keys that disappeared, against the last snapshot the
 *   database is known to hold (by key);
 * - `days`: for day-grained tables, every row of each day that changed, replacing those days whole;
 * - `full`: every row, when the database's contents are not known here (first sync, state lost, a column
 *   added); PostgreSQL then works out the difference itself and rewrites only rows that differ.
 */
export type Plan =
  | { mode: 'keys'; upserts: string; upsertRows: number; deletes: string; deleteRows: number }
  | { mode: 'days'; rowsFile: string; rows: number; days: string[] }
  | { mode: 'full'; rowsFile: string; rows: number };

export interface Prepared {
  table: string;
  source: SourceFiles;
  /** Local copy of exactly the Gold rows being applied; the base of the next diff once committed. */
  snapshot: string;
  columns: Column[];
  totalRows: number;
  plan: Plan | null;
}

export function snapshotPath(stateDir: string, table: string, fingerprint: string): string {
  return join(stateDir, table, `${fingerprint}.parquet`);
}

/**
 * Copies the table's Gold files to a snapshot, so the rows applied are one consistent version even if Gold
 * is refreshed meanwhile. Returns null when Gold was rewritten while being read: the next poll sees the new
 * version.
 */
export async function snapshotGold(
  duck: SinkDuck,
  goldDir: string,
  stateDir: string,
  table: string,
  source: SourceFiles,
): Promise<Prepared | null> {
  const snapshot = snapshotPath(stateDir, table, source.fingerprint);
  await mkdir(join(stateDir, table), { recursive: true });
  if (!existsSync(snapshot)) {
    const temp = `${snapshot}.tmp`;
    await duck.db.run(
      `COPY (SELECT * FROM ${readSource(source)}) TO '${temp.replace(/'/g, "''")}' (FORMAT parquet)`,
    );
    const after = await sourceFiles(goldDir);
    if (after?.fingerprint !== source.fingerprint) {
      await rm(temp, { force: true });
      return null;
    }
    await rename(temp, snapshot);
  }
  const columns = await duck.columns(readParquet(snapshot), table);
  const totalRows = await duck.count(`SELECT 1 FROM ${readParquet(snapshot)}`);
  return { table, source, snapshot, columns, totalRows, plan: null };
}

/** Plans a snapshot against `baseFingerprint`, the snapshot the database holds (used if still on disk). */
export async function planGold(
  duck: SinkDuck,
  stateDir: string,
  grain: Grain,
  snap: Prepared,
  baseFingerprint: string | null,
): Promise<Prepared> {
  const { table, source, snapshot, columns } = snap;
  const base = baseFingerprint ? snapshotPath(stateDir, table, baseFingerprint) : null;
  const prepared: Prepared = { ...snap, plan: null };
  if (baseFingerprint === source.fingerprint) return prepared;
  const tmp = join(stateDir, 'tmp');
  await mkdir(tmp, { recursive: true });
  const file = (what: string) => join(tmp, `${table}.${source.fingerprint}.${what}.csv`);
  const cols = columns.map((c) => ident(c.name)).join(', ');
  const next = `(SELECT ${cols} FROM ${readParquet(snapshot)})`;
  const baseColumns = base && existsSync(base) ? await duck.columns(readParquet(base), table) : null;
  const comparable =
    baseColumns !== null &&
    baseColumns.map((c) => `${c.name} ${c.duck}`).join() === columns.map((c) => `${c.name} ${c.duck}`).join();
  if (!base || !comparable) {
    const rows = await duck.writeCsv(`SELECT * FROM ${next}`, columns, file('full'));
    prepared.plan = { mode: 'full', rowsFile: file('full'), rows };
    return prepared;
  }
  const previous = `(SELECT ${cols} FROM ${readParquet(base)})`;
  const changed = `(SELECT * FROM ${next} EXCEPT SELECT * FROM ${previous})`;
  if (grain.day) {
    const gone = `(SELECT * FROM ${previous} EXCEPT SELECT * FROM ${next})`;
    const days = (
      await duck.rows(
        `SELECT DISTINCT strftime(event_date, '%Y-%m-%d') FROM (SELECT event_date FROM ${changed} UNION ALL SELECT event_date FROM ${gone}) ORDER BY 1`,
      )
    ).map((r) => String(r[0]));
    const rowsFile = file('days');
    const list = days.map((d) => `DATE '${d}'`).join(', ');
    const rows = days.length
      ? await duck.writeCsv(`SELECT * FROM ${next} WHERE event_date IN (${list})`, columns, rowsFile)
      : 0;
    prepared.plan = days.length ? { mode: 'days', rowsFile, rows, days } : null;
    return prepared;
  }
  const keyCols = grain.key.map(ident).join(', ');
  const keyColumns = grain.key.map((k) => columns.find((c) => c.name === k)).filter((c): c is Column => !!c);
  const upserts = file('upserts');
  const deletes = file('deletes');
  const upsertRows = await duck.writeCsv(`SELECT * FROM ${changed}`, columns, upserts);
  const deleteRows = await duck.writeCsv(
    `SELECT ${keyCols} FROM ${previous} EXCEPT SELECT ${keyCols} FROM ${next}`,
    keyColumns,
    deletes,
  );
  prepared.plan = upsertRows + deleteRows ? { mode: 'keys', upserts, upsertRows, deletes, deleteRows } : null;
  return prepared;
}

/** Files of a plan, removed once it is applied or abandoned. */
export function planFiles(plan: Plan | null): string[] {
  if (!plan) return [];
  return plan.mode === 'keys' ? [plan.upserts, plan.deletes] : [plan.rowsFile];
}
