import type { DuckDBConnection } from '@duckdb/node-api';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError, type Column, type Journey } from '../contract';
import { lakePaths } from '../lake/layout';
import { USER_BUCKETS } from '../lake/gold/whole-lake';
import { quoteIdent, quoteLiteral } from '../query/sql-builder';
import { describe, folderSource, jsonRows, jsonSelectList, rowObject, silverSource } from './lake-reader';
import { refreshUserIndex, userRows } from './user-index';

const EVENT_COLUMNS = [
  'event_time',
  'event_type',
  'product_id',
  'category_code',
  'brand',
  'price',
  'session_id',
  'order_id',
  'event_id',
  'topic',
  'partition',
  'offset',
];

/** A user's path: found from the user, one of their sessions or one of their events. */
export async function journey(
  db: DuckDBConnection,
  lake: string,
  request: {
    userId?: string | undefined;
    sessionId?: string | undefined;
    eventId?: string | undefined;
    limit: number;
  },
): Promise<Journey> {
  const given = [request.userId, request.sessionId, request.eventId].filter((v) => v !== undefined);
  if (given.length !== 1) {
    throw new ApiError({ code: 'VALIDATION', message: 'Give exactly one of userId, sessionId or eventId.' });
  }
  const silver = await silverSource(lake);
  if (!silver)
    throw new ApiError({
      code: 'NOT_FOUND',
      message: 'Silver has no events yet: replay a file into the lake first.',
    });
  let userId = request.userId;
  if (userId === undefined) {
    const [column, value] =
      request.sessionId !== undefined ? ['session_id', request.sessionId] : ['event_id', request.eventId];
    const found = await db.runAndReadAll(`SELECT user_id FROM ${silver} WHERE ${column} = $1 LIMIT 1`, [
      value ?? '',
    ]);
    const id = found.getRowsJS()[0]?.[0];
    if (id === undefined || id === null) {
      throw new ApiError({
        code: 'NOT_FOUND',
        message: `No event in Silver has ${column} ${JSON.stringify(value)}.`,
      });
    }
    userId = String(id);
  }
  const all = await describe(db, `SELECT * FROM ${silver}`);
  const columns = [
    ...all
      .filter((c) => EVENT_COLUMNS.includes(c.name))
      .sort((a, b) => EVENT_COLUMNS.indexOf(a.name) - EVENT_COLUMNS.indexOf(b.name)),
    { name: 'gap_s', type: 'DOUBLE' },
  ];
  // The user's events, read by row number from the files the index names (see user-index.ts).
  await userEvents(db, lake, silver, userId, columns.slice(0, -1));
  const picked = `SELECT *, epoch(event_time) - epoch(lag(event_time) OVER (ORDER BY event_time, event_id)) AS gap_s
    FROM journey_events`;
  const counted = await db.runAndReadAll(`SELECT count(*)::DOUBLE FROM journey_events`);
  const events = await jsonRows(
    db,
    `SELECT ${jsonSelectList(columns)} FROM (${picked}) ORDER BY event_time, event_id LIMIT ${request.limit}`,
    [],
  );
  const paths = lakePaths(lake);
  const sessionsSource = await folderSource(paths.goldTable('session_stats'));
  let sessions: Journey['sessions'] = { columns: [], rows: [] };
  if (sessionsSource) {
    const c = await describe(db, `SELECT * FROM ${sessionsSource}`);
    const [where, params] = await sessionsWhere(db, userId);
    sessions = {
      columns: c,
      rows: await jsonRows(
        db,
        `SELECT ${jsonSelectList(c)} FROM ${sessionsSource} WHERE ${where} ORDER BY session_start, session_id`,
        params,
      ),
    };
  }
  const user = await userRow(db, lake, userId);
  return {
    userId,
    user,
    sessions,
    events: { columns, rows: events },
    totalEvents: Number(counted.getRowsJS()[0]?.[0] ?? 0),
  };
}

/** journey_events: a temp table of the user's Silver rows, every column (this connection only). */
async function userEvents(
  db: DuckDBConnection,
  lake: string,
  silver: string,
  userId: string,
  columns: Column[],
): Promise<void> {
  const rows = await userRows(db, await refreshUserIndex(db, lake), userId);
  // Only the journey's columns: each event costs a row group's decoding of every column read.
  const list = ['user_id', ...columns.map((c) => c.name)].map(quoteIdent).join(', ');
  const reads = [...rows].map(
    ([file, numbers]) =>
      `SELECT ${list} FROM read_parquet(${quoteLiteral(file)}, file_row_number = true, union_by_name = true)
       WHERE file_row_number IN (${numbers.map((n) => Math.trunc(n)).join(', ')})`,
  );
  // The index says where to look; user_id is checked again on the rows read, so a stale index cannot add rows.
  await db.run(
    reads.length
      ? `CREATE TEMP TABLE journey_events AS SELECT * FROM (${reads.join(' UNION ALL BY NAME ')}) WHERE user_id = $1`
      : `CREATE TEMP TABLE journey_events AS SELECT ${list} FROM ${silver} WHERE user_id = $1 LIMIT 0`,
    [userId],
  );
}

/**
 * The user's Gold sessions: gold.session_stats rows with their user_id. A session's user is the one of its
 * first event, so its session_start is the time of one of the user's events, and its event_date that
 * instant's UTC day (true of an older Gold too: Silver only gains events). Both as constants let DuckDB skip
 * the other days' files and, sessions being sorted by start, most row groups. Past MAX_TIMES distinct times
 * the user_id alone selects them.
 */
async function sessionsWhere(db: DuckDBConnection, userId: string): Promise<[string, string[]]> {
  const times = (
    await db.runAndReadAll(
      `SELECT DISTINCT strftime(event_time AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') FROM journey_events`,
    )
  ).getRowsJS() as [string][];
  if (times.length === 0 || times.length > MAX_TIMES) return ['user_id = $1', [userId]];
  const days = [...new Set(times.map(([t]) => t.slice(0, 10)))];
  const params = [userId, ...times.map(([t]) => t), ...days];
  const t = times.map((_, i) => `CAST($${i + 2} AS TIMESTAMPTZ)`).join(', ');
  const d = days.map((_, i) => `CAST($${i + 2 + times.length} AS DATE)`).join(', ');
  return [`user_id = $1 AND session_start IN (${t}) AND event_date IN (${d})`, params];
}

const MAX_TIMES = 2_000;

/**
 * The user's gold.user_activity row. Gold files users by hash(user_id) % USER_BUCKETS (part-NN.parquet):
 * that file is read first; when it does not have the user (Gold's layout changed, or not built yet for them)
 * every file is.
 */
async function userRow(db: DuckDBConnection, lake: string, userId: string): Promise<Journey['user']> {
  const dir = lakePaths(lake).goldTable('user_activity');
  const all = await folderSource(dir);
  if (!all) return null;
  const c = await describe(db, `SELECT * FROM ${all}`);
  const bucket = Number(
    (await db.runAndReadAll(`SELECT hash($1::VARCHAR) % ${USER_BUCKETS}`, [userId])).getRowsJS()[0]?.[0],
  );
  const own = join(dir, `part-${String(bucket).padStart(2, '0')}.parquet`);
  const read = (source: string) =>
    jsonRows(db, `SELECT ${jsonSelectList(c)} FROM ${source} WHERE user_id = $1 LIMIT 1`, [userId]);
  const first = existsSync(own) ? await read(`read_parquet(${quoteLiteral(own)})`) : [];
  return rowObject(c, first[0] ?? (await read(all))[0]);
}
