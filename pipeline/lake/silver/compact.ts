import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { fsyncDirectory } from '../../fsync-dir';
import { quoteLiteral } from '../../query/sql-builder';
import { currentParquetNames, replacesNote } from '../files';
import { lakePaths } from '../layout';
import { SILVER_PARQUET } from './parquet';
import { readSilverProgress } from './state';

export interface SilverCompactionOptions {
  /** Files below this many rows are small. */
  smallRows: number;
  /** A merged file holds at most this many rows. */
  maxRows: number;
  /** Merge only when a day has at least this many small files. */
  minFiles: number;
  /**
   * Replaced files are removed this long after the merged file took their place (hidden from the lake's
   * listings meanwhile). 0, the default: at once, so a reader that globs the folder (users' SQL, tools outside
   * the app) sees both only for that instant; a query of the app that listed them just before then fails on
   * the missing file (an error, never a wrong figure) and is asked again. Longer spares those queries but
   * shows globbing readers the replaced files that long.
   */
  graceMs: number;
}

export const DEFAULT_SILVER_COMPACTION: SilverCompactionOptions = {
  smallRows: 100_000,
  maxRows: 1_000_000,
  minFiles: 4,
  graceMs: 0,
};

/** A file as whole-lake Gold records the Silver files it took in (`_state/gold/silver-files/<day>.json`). */
interface TakenFile {
  name: string;
  size: number;
  mtimeMs: number;
}

/**
 * Merges a day's small Silver files (one per streaming step) into files of up to maxRows, the events by
 * event_time in Silver's row groups (parquet.ts), and the ledger's small files the same way. Only files whole-lake
 * Gold has taken in are merged, and Gold's record of them is moved to the merged file, so Gold goes on
 * incrementally (nothing new to it) instead of recomputing; the user index re-indexes the merged file (it
 * knows files by path, size and mtime). Never while a step is pending: a redone step replaces its own files.
 *
 * Readers never see a row twice or miss one: the merged file is written aside and fsynced, a note naming the
 * files it replaces is written beside it (`.<merged>.replaces.json`), and the merged file is renamed in. While
 * the merged file and the note both exist the lake's listings (lake/files.ts currentParquetNames) leave the
 * replaced files out; graceMs later they are removed, then the note (finishSilverCompactions, at the end of
 * the compaction or of a later one). Every state between is one a crash may leave, and a reader reads it right.
 */
export async function compactSilver(
  db: DuckDBConnection,
  lake: string,
  topic: string,
  options: SilverCompactionOptions = DEFAULT_SILVER_COMPACTION,
): Promise<{ merged: number; into: number }> {
  finishSilverCompactions(lake, options.graceMs);
  if (readSilverProgress(lake, topic).pending) return { merged: 0, into: 0 };
  const paths = lakePaths(lake);
  let merged = 0;
  let into = 0;
  for (const day of days(paths.silverEvents)) {
    const dir = paths.silverEventsDate(day);
    const taken = new Map(takenFiles(lake, day).map((f) => [f.name, f]));
    const names = mergeable(dir).filter((n) => {
      const t = taken.get(n);
      if (!t) return false;
      const s = statSync(join(dir, n), { throwIfNoEntry: false });
      return s !== undefined && s.size === t.size && s.mtimeMs === t.mtimeMs;
    });
    const done = await compactFolder(db, dir, names, options, 'ORDER BY event_time', SILVER_PARQUET);
    for (const { run, target } of done) {
      moveGoldRecord(lake, day, run, target);
      merged += run.length;
      into += 1;
    }
  }
  // The ledger (one file per step and day, read only by the refiner's steps), merged the same way.
  for (const day of days(paths.silverLedger)) {
    const dir = paths.silverLedgerDate(day);
    await compactFolder(db, dir, mergeable(dir), options, '', 'FORMAT parquet, COMPRESSION zstd');
  }
  finishSilverCompactions(lake, options.graceMs);
  return { merged, into };
}

/** Merges runs of a folder's small files among `names` (see runs), each into its merged file. */
async function compactFolder(
  db: DuckDBConnection,
  dir: string,
  names: string[],
  options: SilverCompactionOptions,
  order: string,
  format: string,
): Promise<{ run: string[]; target: string }[]> {
  if (names.length < options.minFiles) return [];
  const rows = await rowCounts(
    db,
    names.map((n) => join(dir, n)),
  );
  const done: { run: string[]; target: string }[] = [];
  for (const run of runs(names, rows, options)) {
    const target = mergedName(run);
    await mergeFiles(db, dir, run, target, order, format);
    done.push({ run, target });
  }
  return done;
}

/**
 * Finishes compactions, in Silver's events and its ledger: a note whose merged file is in place has, once it
 * is graceMs old, its replaced files removed (and Gold's record moved, if a crash came before); a note without
 * its merged file (a crash before the rename) is dropped with the merged file's temp.
 */
export function finishSilverCompactions(lake: string, graceMs = DEFAULT_SILVER_COMPACTION.graceMs): void {
  const paths = lakePaths(lake);
  for (const [root, gold] of [
    [paths.silverEvents, true],
    [paths.silverLedger, false],
  ] as const) {
    for (const day of days(root)) {
      const dir = join(root, `event_date=${day}`);
      for (const name of readdirSync(dir)) {
        const merged = /^\.(.+\.parquet)\.replaces\.json$/.exec(name)?.[1];
        if (!merged) continue;
        if (!existsSync(join(dir, merged))) {
          rmSync(join(dir, `.${merged}.tmp`), { force: true });
          rmSync(join(dir, name), { force: true });
          continue;
        }
        const replaced = readNote(join(dir, name));
        if (gold) moveGoldRecord(lake, day, replaced, merged);
        const age = Date.now() - (statSync(join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0);
        if (age >= graceMs) finish(dir, merged, replaced);
      }
    }
  }
}

/**
 * A folder's current files, less merged files still within their grace: their note must outlive the files it
 * hides, so such a file is merged again only once its own compaction is finished.
 */
function mergeable(dir: string): string[] {
  return currentParquetNames(dir).filter((n) => !existsSync(replacesNote(dir, n)));
}

const DAY = /^event_date=(\d{4}-\d{2}-\d{2})$/;

function days(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((n) => DAY.exec(n)?.[1])
    .filter((d): d is string => d !== undefined)
    .sort();
}

/** Named after what it merges: a compaction redone after a crash writes the same file. */
function mergedName(names: string[]): string {
  return `c-${createHash('sha256').update(names.join('\n')).digest('hex').slice(0, 16)}.parquet`;
}

async function rowCounts(db: DuckDBConnection, files: string[]): Promise<Map<string, number>> {
  const result = await db.runAndReadAll(
    `SELECT file_name, num_rows FROM parquet_file_metadata([${files.map(quoteLiteral).join(', ')}])`,
  );
  return new Map(result.getRowsJS().map(([f, n]) => [basename(String(f)), Number(n)]));
}

/** Small files in name order, cut into runs of at least minFiles and at most maxRows rows. */
function runs(names: string[], rows: Map<string, number>, o: SilverCompactionOptions): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let total = 0;
  const close = () => {
    if (current.length >= o.minFiles) out.push(current);
    current = [];
    total = 0;
  };
  for (const name of names) {
    const n = rows.get(name) ?? Infinity;
    if (n >= o.smallRows) continue;
    if (total + n > o.maxRows) close();
    current.push(name);
    total += n;
  }
  close();
  return out;
}

/** Steps 1–3: the merged file written aside and fsynced, the note, the rename. */
async function mergeFiles(
  db: DuckDBConnection,
  dir: string,
  names: string[],
  target: string,
  order: string,
  format: string,
): Promise<void> {
  const temp = join(dir, `.${target}.tmp`);
  const list = names.map((n) => quoteLiteral(join(dir, n))).join(', ');
  // Not hive-partitioned: event_date stays in the folder's name, out of the file (as the steps write it).
  await db.run(`COPY (SELECT * FROM read_parquet([${list}], hive_partitioning = false) ${order})
    TO ${quoteLiteral(temp)} (${format})`);
  fsyncFile(temp);
  const note = replacesNote(dir, target);
  writeFileSync(`${note}.tmp`, JSON.stringify({ replaces: names }));
  fsyncFile(`${note}.tmp`);
  renameSync(`${note}.tmp`, note);
  fsyncDirectory(dir);
  renameSync(temp, join(dir, target));
  fsyncDirectory(dir);
}

/** The replaced files removed, then the note. */
function finish(dir: string, merged: string, replaced: string[]): void {
  for (const name of replaced) if (name !== merged) rmSync(join(dir, name), { force: true });
  fsyncDirectory(dir);
  rmSync(replacesNote(dir, merged), { force: true });
}

function readNote(file: string): string[] {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { replaces: string[] }).replaces;
  } catch {
    return [];
  }
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function takenFile(lake: string, day: string): string {
  return join(lakePaths(lake).goldState, 'silver-files', `${day}.json`);
}

function takenFiles(lake: string, day: string): TakenFile[] {
  try {
    return JSON.parse(readFileSync(takenFile(lake, day), 'utf8')) as TakenFile[];
  } catch {
    return [];
  }
}

/**
 * Gold took in every replaced file, so it has taken in the merged one: its record of the day names the merged
 * file instead (when it still names every replaced one; otherwise Gold notices the change and recomputes).
 */
function moveGoldRecord(lake: string, day: string, replaced: string[], merged: string): void {
  const taken = takenFiles(lake, day);
  const gone = new Set(replaced);
  if (!replaced.every((r) => taken.some((t) => t.name === r))) return;
  const s = statSync(join(lakePaths(lake).silverEventsDate(day), merged));
  const next = [
    ...taken.filter((t) => !gone.has(t.name)),
    { name: merged, size: s.size, mtimeMs: s.mtimeMs },
  ].sort((a, b) => (a.name < b.name ? -1 : 1));
  const file = takenFile(lake, day);
  writeFileSync(`${file}.tmp`, JSON.stringify(next));
  renameSync(`${file}.tmp`, file);
}
