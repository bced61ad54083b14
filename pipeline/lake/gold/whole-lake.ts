import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../../query/sql-builder';
import { scalar } from '../duckdb';
import { currentParquetNames } from '../files';
import { lakePaths } from '../layout';
import { SILVER_ROW_GROUP_ROWS } from '../silver/parquet';
import heatmapMergeSql from './merge/heatmap_merge.sql?raw';
import productDeltaSql from './merge/product_delta.sql?raw';
import productMergeSql from './merge/product_merge.sql?raw';
import sessionDailySql from './merge/session_daily.sql?raw';
import userDeltaSql from './merge/user_delta.sql?raw';
import userMergeSql from './merge/user_merge.sql?raw';
import sessionStatsSql from './session_stats.sql?raw';

/**
 * session_stats.sql without its final ORDER BY: the sessions are kept in a temp table and each day's file is
 * sorted as it is written. Sorting the whole table too ran out of DuckDB's 320 MB on a 5M-session day
 * (the aggregate and the sort could not both spill), where the unsorted table builds in the same memory.
 */
const SESSIONS_UNSORTED = (() => {
  const unsorted = sessionStatsSql.replace(/\s*ORDER BY session_start, session_id\s*;?\s*$/, '');
  if (unsorted === sessionStatsSql) throw new Error('session_stats.sql no longer ends with its ORDER BY');
  return unsorted;
})();

/** The Gold tables over sessions, users, products or all time, kept by refreshWholeLake. */
export const WHOLE_LAKE = [
  'session_stats',
  'session_daily',
  'user_activity',
  'product_performance',
  'hourly_heatmap',
];

/** user_activity's files: users by hash(user_id) % USER_BUCKETS, `part-NN.parquet`. */
export const USER_BUCKETS = 4;

/** The Silver columns the whole-lake tables read. */
const COLUMNS =
  'session_id, user_id, event_time, event_type, product_id, category_code, brand, price, order_id';

interface SilverFile {
  name: string;
  size: number;
  mtimeMs: number;
}

const DAY_FOLDER = /^event_date=(\d{4}-\d{2}-\d{2})$/;

/**
 * Keeps session_stats, session_daily, user_activity, product_performance and hourly_heatmap equal to their SQL
 * files over all of Silver while reading only what changed: the Silver files of `dates` that Gold has not taken
 * in (`_state/gold/silver-files/<day>.json` lists those it has) and, for the sessions those rows touch, their
 * earlier rows. Silver only ever adds rows, so every figure is the old one plus what the new rows add; a
 * session counted once per user or product is counted when it first qualifies, found by comparing the
 * touched sessions' rows before and after (merge/*.sql). Layout (plain Parquet, same columns as the SQL files):
 * session_stats and session_daily by the UTC day a session starts (`event_date=D/data.parquet`: a refresh
 * rewrites the days its sessions start on, and a day a late event moved a session from), user_activity in
 * USER_BUCKETS files by user hash, product_performance and hourly_heatmap one file each (bounded by the
 * catalog and by 7×24). Where a touched session's row is: `_state/gold/session-index/`, per start day the
 * hashes of its sessions (8 bytes a session, the one thing read whole).
 *
 * `dates` null, a lake without this state, one whose Silver files Gold took in changed (a Silver rebuild), a
 * refresh a crash cut short (`_state/gold/whole.json` still says writing) or a state written by another DuckDB
 * version: everything is recomputed from Silver by the same code, as if all of it were new.
 */
export async function refreshWholeLake(
  db: DuckDBConnection,
  lake: string,
  dates: string[] | null,
): Promise<void> {
  const paths = lakePaths(lake);
  const state = paths.goldState;
  const marker = join(state, 'whole.json');
  const days = dates ?? silverDays(lake);
  const listed = new Map(days.map((d) => [d, silverFiles(lake, d)]));
  // Buckets and the session index are by DuckDB's hash(), which another DuckDB version may compute otherwise.
  const engine = String((await db.runAndReadAll('SELECT version()')).getRowsJS()[0]?.[0]);
  const last = existsSync(marker) ? readMarker(marker) : null;
  let full = dates === null || last === null || last.writing || last.engine !== engine;
  const fresh: string[] = [];
  if (!full) {
    for (const [day, files] of listed) {
      const taken = takenFiles(lake, day);
      const now = new Map(files.map((f) => [f.name, f]));
      const changed = taken.some((t) => {
        const f = now.get(t.name);
        return !f || f.size !== t.size || f.mtimeMs !== t.mtimeMs;
      });
      if (changed) {
        full = true;
        break;
      }
      const names = new Set(taken.map((t) => t.name));
      for (const f of files) if (!names.has(f.name)) fresh.push(join(paths.silverEventsDate(day), f.name));
    }
  }
  if (full) {
    for (const d of silverDays(lake)) if (!listed.has(d)) listed.set(d, silverFiles(lake, d));
    fresh.length = 0;
    for (const [day, files] of listed)
      for (const f of files) fresh.push(join(paths.silverEventsDate(day), f.name));
  } else if (fresh.length === 0) {
    return;
  }
  mkdirSync(state, { recursive: true });
  writeMarker(marker, { writing: true, engine });
  if (full) {
    for (const name of ['session-index', 'silver-files', 'user-orders.parquet'])
      rmSync(join(state, name), { recursive: true, force: true });
  }
  const freshSet = new Set(fresh);
  await db.run(`DROP VIEW IF EXISTS g_all; DROP VIEW IF EXISTS silver_events;
    DROP TABLE IF EXISTS g_new; DROP VIEW IF EXISTS g_new; DROP TABLE IF EXISTS g_old`);
  const read = (files: string[]) =>
    files.length
      ? `SELECT ${COLUMNS} FROM read_parquet([${files.map(quoteLiteral).join(', ')}])`
      : `SELECT NULL::VARCHAR AS session_id, NULL::VARCHAR AS user_id, NULL::TIMESTAMPTZ AS event_time,
           NULL::VARCHAR AS event_type, NULL::VARCHAR AS product_id, NULL::VARCHAR AS category_code,
           NULL::VARCHAR AS brand, NULL::DECIMAL(18, 2) AS price, NULL::VARCHAR AS order_id WHERE false`;
  // A full recompute streams over Silver; an incremental one reads its few new rows once.
  await db.run(`CREATE TEMP ${full ? 'VIEW' : 'TABLE'} g_new AS ${read(fresh)}`);

  // The sessions the new rows touch, their rows in session_stats, and all their earlier Silver rows.
  // (A full recompute has no earlier rows: every session is whole in g_new.)
  await db.run(`CREATE OR REPLACE TEMP TABLE g_touched AS
    SELECT DISTINCT session_id, hash(session_id) AS h FROM g_new ${full ? 'WHERE false' : ''}`);
  const indexFiles = full ? [] : parquetBelow(join(state, 'session-index'));
  const candidates = indexFiles.length
    ? (
        await db.runAndReadAll(`SELECT DISTINCT CAST(event_date AS VARCHAR) FROM read_parquet(
          [${indexFiles.map(quoteLiteral).join(', ')}], hive_partitioning = true) WHERE h IN (SELECT h FROM g_touched)`)
      )
        .getRowsJS()
        .map(([d]) => String(d))
    : [];
  const sessionFile = (day: string) =>
    join(paths.goldTable('session_stats'), `event_date=${day}`, 'data.parquet');
  const oldSessionFiles = candidates.map(sessionFile).filter((f) => existsSync(f));
  await db.run(`CREATE OR REPLACE TEMP VIEW silver_events AS ${read([])}`);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE g_old_sessions AS ${
      oldSessionFiles.length
        ? `SELECT * FROM read_parquet([${oldSessionFiles.map(quoteLiteral).join(', ')}])
           WHERE session_id IN (SELECT session_id FROM g_touched)`
        : `SELECT * FROM (${SESSIONS_UNSORTED}) WHERE false`
    }`,
  );
  const spanned = (
    await db.runAndReadAll(`SELECT DISTINCT CAST(d AS DATE)::VARCHAR FROM g_old_sessions,
      generate_series(CAST(timezone('UTC', session_start) AS DATE), CAST(timezone('UTC', session_end) AS DATE), INTERVAL 1 DAY) t(d)`)
  )
    .getRowsJS()
    .map(([d]) => String(d));
  const earlier = spanned.flatMap((day) =>
    (listed.get(day) ?? silverFiles(lake, day))
      .map((f) => join(paths.silverEventsDate(day), f.name))
      .filter((f) => !freshSet.has(f)),
  );
  await db.run(`CREATE TEMP TABLE g_old AS SELECT * FROM (${read(earlier)})
    WHERE session_id IN (SELECT session_id FROM g_old_sessions)`);
  await db.run(`CREATE TEMP VIEW g_all AS SELECT * FROM g_old UNION ALL SELECT * FROM g_new;
    CREATE OR REPLACE TEMP VIEW silver_events AS SELECT * FROM g_all;
    CREATE OR REPLACE TEMP TABLE g_sessions AS ${SESSIONS_UNSORTED}`);

  await writeSessions(db, lake, full);
  await writeUsers(db, lake, full);
  await writeProducts(db, lake, full);
  await writeHeatmap(db, lake, full);

  const taken = join(state, 'silver-files');
  mkdirSync(taken, { recursive: true });
  for (const [day, files] of listed) writeJson(join(taken, `${day}.json`), files);
  writeMarker(marker, { writing: false, engine });
}

/** session_stats and session_daily for every start day the touched sessions were or now are on. */
async function writeSessions(db: DuckDBConnection, lake: string, full: boolean): Promise<void> {
  const paths = lakePaths(lake);
  const stats = paths.goldTable('session_stats');
  const daily = paths.goldTable('session_daily');
  const index = join(paths.goldState, 'session-index');
  const days = (
    await db.runAndReadAll(`SELECT DISTINCT CAST(event_date AS VARCHAR) FROM g_sessions
      UNION SELECT DISTINCT CAST(event_date AS VARCHAR) FROM g_old_sessions ORDER BY 1`)
  )
    .getRowsJS()
    .map(([d]) => String(d));
  for (const day of days) {
    const file = join(stats, `event_date=${day}`, 'data.parquet');
    const kept =
      !full && existsSync(file)
        ? `SELECT * FROM read_parquet(${quoteLiteral(file)}) WHERE session_id NOT IN (SELECT session_id FROM g_touched)
           UNION ALL `
        : '';
    await db.run(`CREATE OR REPLACE TEMP TABLE g_day_sessions AS ${kept}
      SELECT * FROM g_sessions WHERE event_date = ${quoteLiteral(day)}::DATE`);
    if ((await scalar(db, 'SELECT count(*) FROM g_day_sessions')) === 0) {
      for (const dir of [stats, daily, index])
        rmSync(join(dir, `event_date=${day}`), { recursive: true, force: true });
      continue;
    }
    // Small row groups: a journey finds a user's sessions by session_start (the sort key) and decodes only
    // the row groups those starts fall in.
    await copyTo(
      db,
      'SELECT * FROM g_day_sessions ORDER BY session_start, session_id',
      file,
      `ROW_GROUP_SIZE ${SILVER_ROW_GROUP_ROWS}`,
    );
    await copyTo(db, sessionDailySql, join(daily, `event_date=${day}`, 'data.parquet'));
    await copyTo(
      db,
      'SELECT hash(session_id) AS h FROM g_day_sessions',
      join(index, `event_date=${day}`, 'index.parquet'),
    );
  }
  if (full) {
    const keep = new Set(days);
    for (const dir of [stats, daily]) removeOthers(dir, (name) => keep.has(DAY_FOLDER.exec(name)?.[1] ?? ''));
  }
}

/** user_activity: the buckets of the users the new rows touch. */
async function writeUsers(db: DuckDBConnection, lake: string, full: boolean): Promise<void> {
  const paths = lakePaths(lake);
  const dir = paths.goldTable('user_activity');
  const ordersFile = join(paths.goldState, 'user-orders.parquet');
  const seenOrders = existsSync(ordersFile)
    ? `SELECT user_id, order_id FROM read_parquet(${quoteLiteral(ordersFile)})`
    : 'SELECT NULL::VARCHAR AS user_id, NULL::VARCHAR AS order_id WHERE false';
  await db.run(`CREATE OR REPLACE TEMP TABLE g_new_orders AS
    SELECT DISTINCT user_id, order_id FROM g_new WHERE event_type = 'purchase' AND order_id IS NOT NULL
    EXCEPT SELECT user_id, order_id FROM (${seenOrders})`);
  if ((await scalar(db, 'SELECT count(*) FROM g_new_orders')) > 0) {
    await copyTo(db, `${seenOrders} UNION ALL SELECT user_id, order_id FROM g_new_orders`, ordersFile);
  }
  await db.run(`CREATE OR REPLACE TEMP TABLE g_user_delta AS
    SELECT *, CAST(hash(user_id) % ${USER_BUCKETS} AS INTEGER) AS bucket FROM (${userDeltaSql})`);
  const buckets = (await db.runAndReadAll('SELECT DISTINCT bucket FROM g_user_delta ORDER BY 1'))
    .getRowsJS()
    .map(([b]) => Number(b));
  const written = new Set<string>();
  for (const bucket of buckets) {
    const name = `part-${String(bucket).padStart(2, '0')}.parquet`;
    const file = join(dir, name);
    written.add(name);
    await previousView(
      db,
      'g_user_old',
      full,
      file,
      'SELECT * EXCLUDE (bucket) FROM g_user_delta WHERE false',
    );
    await db.run(`CREATE OR REPLACE TEMP VIEW g_user_delta_bucket AS
      SELECT * EXCLUDE (bucket) FROM g_user_delta WHERE bucket = ${bucket}`);
    // Unsorted: a bucket is rewritten whole whenever one of its users is touched, and sorting it cost as much
    // as the rest of the rewrite (readers sort the 4 files' rows themselves anyway).
    await copyTo(db, userMergeSql.replace('g_user_delta d', 'g_user_delta_bucket d'), file);
  }
  if (full) removeOthers(dir, (name) => written.has(name));
}

async function writeProducts(db: DuckDBConnection, lake: string, full: boolean): Promise<void> {
  const dir = lakePaths(lake).goldTable('product_performance');
  const file = join(dir, 'data.parquet');
  await db.run(`CREATE OR REPLACE TEMP TABLE g_product_delta AS ${productDeltaSql}`);
  if (!full && (await scalar(db, 'SELECT count(*) FROM g_product_delta')) === 0) return;
  await previousView(db, 'g_product_old', full, file, 'SELECT * FROM g_product_delta WHERE false');
  await copyTo(db, productMergeSql, file);
  if (full) removeOthers(dir, (name) => name === 'data.parquet');
}

async function writeHeatmap(db: DuckDBConnection, lake: string, full: boolean): Promise<void> {
  const dir = lakePaths(lake).goldTable('hourly_heatmap');
  const file = join(dir, 'data.parquet');
  await previousView(
    db,
    'g_heatmap_old',
    full,
    file,
    `SELECT 0::INTEGER AS day_of_week, ''::VARCHAR AS day_name, 0::INTEGER AS hour, 0::BIGINT AS events,
       0::BIGINT AS purchases, 0::DECIMAL(38, 2) AS revenue WHERE false`,
  );
  await copyTo(db, heatmapMergeSql, file);
  if (full) removeOthers(dir, (name) => name === 'data.parquet');
}

/** `view`: the table's file as the last refresh left it, or no rows (a full recompute, or no file yet). */
async function previousView(
  db: DuckDBConnection,
  view: string,
  full: boolean,
  file: string,
  empty: string,
): Promise<void> {
  const previous = !full && existsSync(file) ? `SELECT * FROM read_parquet(${quoteLiteral(file)})` : empty;
  await db.run(`CREATE OR REPLACE TEMP VIEW ${view} AS ${previous}`);
}

/** COPY to a temp file beside `file` ('.' first: no reader's glob takes it), then rename over it. */
async function copyTo(db: DuckDBConnection, sql: string, file: string, extra = ''): Promise<void> {
  const dir = join(file, '..');
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${process.pid}-${Date.now()}.parquet.tmp`);
  await db.run(
    `COPY (${sql}) TO ${quoteLiteral(temp)} (FORMAT parquet, COMPRESSION zstd${extra ? `, ${extra}` : ''})`,
  );
  renameSync(temp, file);
}

/** Removes what a full recompute did not write (an older layout's files among them). */
function removeOthers(dir: string, keep: (name: string) => boolean): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir))
    if (!keep(name)) rmSync(join(dir, name), { recursive: true, force: true });
}

/** UTC days Silver has, from its folder names. */
export function silverDays(lake: string): string[] {
  const dir = lakePaths(lake).silverEvents;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((n) => DAY_FOLDER.exec(n)?.[1])
    .filter((d): d is string => d !== undefined)
    .sort();
}

/** A Silver day's current files (lake/files.ts), with what tells a rewrite apart. */
function silverFiles(lake: string, day: string): SilverFile[] {
  const dir = lakePaths(lake).silverEventsDate(day);
  return currentParquetNames(dir).map((name) => {
    const s = statSync(join(dir, name));
    return { name, size: s.size, mtimeMs: s.mtimeMs };
  });
}

function takenFiles(lake: string, day: string): SilverFile[] {
  const file = join(lakePaths(lake).goldState, 'silver-files', `${day}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SilverFile[]) : [];
}

function parquetBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.parquet') && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name));
}

/** `_state/gold/whole.json`: whether a refresh is under way (or was cut short), and by which DuckDB. */
interface Marker {
  writing: boolean;
  engine?: string;
}

function readMarker(file: string): Marker {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Marker;
  } catch {
    return { writing: true };
  }
}

function writeMarker(file: string, marker: Marker): void {
  writeJson(file, marker);
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(value));
  renameSync(`${file}.tmp`, file);
}
