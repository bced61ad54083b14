import type { DuckDBConnection } from '@duckdb/node-api';
import { ApiError, type Journey } from '../contract';
import { lakePaths } from '../lake/layout';
import { describe, folderSource, jsonRows, jsonSelectList, rowObject, silverSource } from './lake-reader';

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
  const picked = `SELECT *, epoch(event_time) - epoch(lag(event_time) OVER (ORDER BY event_time, event_id)) AS gap_s
    FROM ${silver} WHERE user_id = $1`;
  const counted = await db.runAndReadAll(`SELECT count(*)::DOUBLE FROM ${silver} WHERE user_id = $1`, [
    userId,
  ]);
  const events = await jsonRows(
    db,
    `SELECT ${jsonSelectList(columns)} FROM (${picked}) ORDER BY event_time, event_id LIMIT ${request.limit}`,
    [userId],
  );
  const paths = lakePaths(lake);
  const sessionsSource = await folderSource(paths.goldTable('session_stats'));
  const userSource = await folderSource(paths.goldTable('user_activity'));
  let sessions: Journey['sessions'] = { columns: [], rows: [] };
  if (sessionsSource) {
    const c = await describe(db, `SELECT * FROM ${sessionsSource}`);
    sessions = {
      columns: c,
      rows: await jsonRows(
        db,
        `SELECT ${jsonSelectList(c)} FROM ${sessionsSource} WHERE user_id = $1 ORDER BY session_start, session_id`,
        [userId],
      ),
    };
  }
  let user: Journey['user'] = null;
  if (userSource) {
    const c = await describe(db, `SELECT * FROM ${userSource}`);
    user = rowObject(
      c,
      (await jsonRows(db, `SELECT ${jsonSelectList(c)} FROM ${userSource} WHERE user_id = $1`, [userId]))[0],
    );
  }
  return {
    userId,
    user,
    sessions,
    events: { columns, rows: events },
    totalEvents: Number(counted.getRowsJS()[0]?.[0] ?? 0),
  };
}
