import type { DuckDBConnection } from '@duckdb/node-api';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError, type Journey } from '../contract';
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

/** Runs work on another connection of the same DuckDB, alongside the caller's. */
export type OnAnotherConnection = <T>(work: (db: DuckDBConnection) => Promise<T>) => Promise<T>;

/**
 * A user's path: found from the user, one of their sessions or one of their events. With `alongside`, the
 * user's Gold row and Gold sessions are read on other connections while the events are.
 */
export async function journey(
  db: DuckDBConnection,
  lake: string,
  request: {
    userId?: string | undefined;
    sessionId?: string | undefined;
    eventId?: string | undefined;
    limit: number;
  },
  alongside?: OnAnotherConnection,
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
  const knownUser = userId;
  const userAlongside = alongside?.((other) => userRow(other, lake, knownUser));
  // Awaited below; until then a failure must not count as unhandled (an earlier step may throw first).
  userAlongside?.catch(() => undefined);
  const all = await describe(db, `SELECT * FROM ${silver}`);
  const columns = [
    ...all
      .filter((c) => EVENT_COLUMNS.includes(c.name))
      .sort((a, b) => EVENT_COLUMNS.indexOf(a.name) - EVENT_COLUMNS.indexOf(b.name)),
    { name: 'gap_s', type: 'DOUBLE' },
  ];
  // Where the user's events are, from the index (see user-index.ts); read by row number.
  const rows = await userRows(db, await refreshUserIndex(db, lake), userId);
  const paths = lakePaths(lake);
  const sessionsSource = await folderSource(paths.goldTable('session_stats'));
  // `times` selects the user's event times ($1 the user): read again from Silver on another connection, or
  // from the events this connection has already read.
  const sessionsOf = (on: DuckDBConnection, times: string) =>
    sessionsSource ? userSessions(on, sessionsSource, times, knownUser) : Promise.resolve(NO_SESSIONS);
  // Gold's sessions alongside the events, as the user's row (the sessions only need the events' times).
  const sessionsAlongside = alongside?.((other) =>
    sessionsOf(other, userReads(silver, rows, ['user_id', 'event_time'])),
  );
  sessionsAlongside?.catch(() => undefined);
  await db.run(
    `CREATE TEMP TABLE journey_events AS ${userReads(silver, rows, ['user_id', ...columns.slice(0, -1).map((c) => c.name)])}`,
    [userId],
  );
  const picked = `SELECT *, epoch(event_time) - epoch(lag(event_time) OVER (ORDER BY event_time, event_id)) AS gap_s
    FROM journey_events`;
  const counted = await db.runAndReadAll(`SELECT count(*)::DOUBLE FROM journey_events`);
  const events = await jsonRows(
    db,
    `SELECT ${jsonSelectList(columns)} FROM (${picked}) ORDER BY event_time, event_id LIMIT ${request.limit}`,
    [],
  );
  const sessions = await (sessionsAlongside ??
    sessionsOf(db, 'SELECT event_time FROM journey_events WHERE user_id = $1'));
  const user = await (userAlongside ?? userRow(db, lake, userId));
  return {
    userId,
    user,
    sessions,
    events: { columns, rows: events },
    totalEvents: Number(counted.getRowsJS()[0]?.[0] ?? 0),
  };
}

/**
 * The user's Silver rows (`columns` of them, user_id first), from the (file, row numbers) the index gave; $1 is
 * the user. Only the columns asked for: each event costs a row group's decoding of every column read. The index
 * says where to look; user_id is checked again on the rows read, so a stale index cannot add rows.
 */
function userReads(silver: string, rows: Map<string, number[]>, columns: string[]): string {
  const list = columns.map(quoteIdent).join(', ');
  const reads = [...rows].map(
    ([file, numbers]) =>
      `SELECT ${list} FROM read_parquet(${quoteLiteral(file)}, file_row_number = true, union_by_name = true)
       WHERE file_row_number IN (${numbers.map((n) => Math.trunc(n)).join(', ')})`,
  );
  return reads.length
    ? `SELECT * FROM (${reads.join(' UNION ALL BY NAME ')}) WHERE user_id = $1`
    : `SELECT ${list} FROM ${silver} WHERE user_id = $1 LIMIT 0`;
}

const NO_SESSIONS: Journey['sessions'] = { columns: [], rows: [] };

/**
 * The user's Gold sessions: gold.session_stats rows with their user_id. A session's user is the one of its
 * first event, so its session_start is the time of one of the user's events, and its event_date that
 * instant's UTC day (true of an older Gold too: Silver only gains events). Both as constants let DuckDB skip
 * the other days' files and, sessions being sorted by start, most row groups. Past MAX_TIMES distinct times
 * the user_id alone selects them. `eventTimes` selects the user's event_time values, $1 being the user.
 */
async function userSessions(
  db: DuckDBConnection,
  source: string,
  eventTimes: string,
  userId: string,
): Promise<Journey['sessions']> {
  const times = (
    await db.runAndReadAll(
      `SELECT DISTINCT strftime(event_time AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') FROM (${eventTimes})`,
      [userId],
    )
  ).getRowsJS() as [string][];
  let where = 'user_id = $1';
  let params = [userId];
  if (times.length > 0 && times.length <= MAX_TIMES) {
    const days = [...new Set(times.map(([t]) => t.slice(0, 10)))];
    params = [userId, ...times.map(([t]) => t), ...days];
    const t = times.map((_, i) => `CAST($${i + 2} AS TIMESTAMPTZ)`).join(', ');
    const d = days.map((_, i) => `CAST($${i + 2 + times.length} AS DATE)`).join(', ');
    where = `user_id = $1 AND session_start IN (${t}) AND event_date IN (${d})`;
  }
  const columns = await describe(db, `SELECT * FROM ${source}`);
  return {
    columns,
    rows: await jsonRows(
      db,
      `SELECT ${jsonSelectList(columns)} FROM ${source} WHERE ${where} ORDER BY session_start, session_id`,
      params,
    ),
  };
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
