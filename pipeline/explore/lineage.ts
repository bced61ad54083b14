import type { DuckDBConnection } from '@duckdb/node-api';
import { dirname } from 'node:path';
import {
  ApiError,
  type BronzeRecord,
  type LineageCondition,
  type LineageRows,
  type LineageSessions,
  type RecordLineage,
} from '../contract';
import { lakePaths } from '../lake/layout';
import { bronzeFiles } from '../query/catalog';
import { quoteIdent, quoteLiteral } from '../query/sql-builder';
import { drillKey, grainOf, keyValue, keyValues, type GrainKey } from './grains';
import { describe, folderSource, jsonRows, jsonSelectList, rowObject, silverSource } from './lake-reader';
import { sourceLine } from './source-line';
import { MINUTE_MS_SQL, pageBounds, type MinuteCounts } from './time-bounds';

const SESSION_TABLES = new Set(['session_stats', 'session_daily', 'user_activity']);

type Drill = {
  table: string;
  key: Record<string, string>;
  where?: LineageCondition[];
  sessions?: LineageSessions | undefined;
  offset: number;
  limit: number;
};

const BOUNDS = [
  ['from', '>='],
  ['to', '<='],
  ['after', '>'],
  ['before', '<'],
] as const;

/**
 * The Silver rows behind one Gold row (the grain's keys as filters on Silver), or behind a figure summed over
 * several (conditions on grain keys, the same expressions): bound parameters, never user text in the SQL.
 */
export async function lineageRows(db: DuckDBConnection, lake: string, request: Drill): Promise<LineageRows> {
  const table = request.table.replace(/^gold\./, '');
  const grain = grainOf(table);
  const where = request.where ?? [];
  const oneRow = where.length === 0 && request.sessions === undefined;
  const values = oneRow ? keyValues(table, grain, request.key) : [];
  const empty = {
    table,
    grain: grain.map((g) => g.key),
    total: 0,
    columns: [],
    rows: [],
    gold: null,
    figures: { events: 0, views: 0, carts: 0, purchases: 0, revenue: 0, sessions: 0, users: 0 },
  };
  // Every filter as (grain key, operator, values): the row's keys, then the figure's conditions.
  const filters: { g: GrainKey; op: string; values: string[] }[] = [];
  for (const [k, v] of Object.entries(request.key)) {
    const g = grain.find((x) => x.key === k);
    if (!g)
      throw new ApiError({
        code: 'VALIDATION',
        message: `${table}'s grain is ${grain.map((x) => x.key).join(', ')}: ${k} is not a key.`,
      });
    filters.push({ g, op: '=', values: [keyValue(g, v)] });
  }
  for (const c of where) {
    const g = drillKey(table, c.key);
    if (c.in) filters.push({ g, op: 'IN', values: c.in.map((v) => keyValue(g, v)) });
    for (const [bound, op] of BOUNDS) {
      const v = c[bound];
      if (v !== undefined) filters.push({ g, op, values: [keyValue(g, v)] });
    }
  }
  const silver = await silverSource(lake);
  if (!silver) return empty;
  let gold: Record<string, unknown> | null = null;
  const goldSource = oneRow ? await folderSource(lakePaths(lake).goldTable(table)) : null;
  if (goldSource) {
    const match = grain.map((g, i) => `${quoteIdent(g.key)} = CAST($${i + 1} AS ${g.type})`).join(' AND ');
    const columns = await describe(db, `SELECT * FROM ${goldSource}`);
    const rows = await jsonRows(
      db,
      `SELECT ${jsonSelectList(columns)} FROM ${goldSource} WHERE ${match} LIMIT 1`,
      values,
    );
    gold = rowObject(columns, rows[0]);
  }
  // A key that needs a window over all of Silver (session_daily's start day) is computed in a subquery; plain
  // ones filter Silver directly, so DuckDB can skip day partitions and row groups.
  const used = [...new Set(filters.map((f) => f.g))];
  const windowed = used.some((g) => /\bOVER\b/.test(g.silver));
  const from = windowed
    ? `(SELECT *, ${used.map((g, i) => `${g.silver} AS __key${i}`).join(', ')} FROM ${silver})`
    : silver;
  const params: string[] = [];
  const cast = (g: GrainKey, v: string) => {
    params.push(v);
    return `CAST($${params.length} AS ${g.type})`;
  };
  const predicate = filters
    .map((f) => {
      const expr = windowed ? `__key${used.indexOf(f.g)}` : f.g.silver;
      return f.op === 'IN'
        ? `${expr} IN (${f.values.map((v) => cast(f.g, v)).join(', ')})`
        : `${expr} ${f.op} ${cast(f.g, f.values[0] as string)}`;
    })
    .join(' AND ');
  const selection = `FROM ${from} WHERE ${predicate || 'true'}${sessionsQualify(request.sessions)}`;
  const columns = await describe(db, `SELECT * FROM ${silver}`);
  // Distinct sessions and users cost ten times the other sums (a hash table of ids): only for the figures
  // that count them — a session table's rows, or sessions chosen by what they did.
  const distinct = request.sessions !== undefined || SESSION_TABLES.has(table);
  // One scan of the filter's columns gives the figures and the matches per minute; the per-minute counts
  // bound the page to the minutes that hold it (see time-bounds.ts).
  const counted = await db.runAndReadAll(
    `SELECT GROUPING(minute) = 1, minute, count(*)::DOUBLE, (count(*) FILTER (WHERE event_type = 'view'))::DOUBLE,
            (count(*) FILTER (WHERE event_type = 'cart'))::DOUBLE,
            (count(*) FILTER (WHERE event_type = 'purchase'))::DOUBLE,
            coalesce(sum(price) FILTER (WHERE event_type = 'purchase'), 0)::DOUBLE,
            ${distinct ? 'count(DISTINCT session_id)::DOUBLE, count(DISTINCT user_id)::DOUBLE' : 'NULL, NULL'}
     FROM (SELECT event_type, price, session_id, user_id, ${MINUTE_MS_SQL} AS minute ${selection})
     GROUP BY GROUPING SETS ((minute), ()) ORDER BY minute`,
    params,
  );
  const grouped = counted.getRowsJS();
  const whole = grouped.find((r) => r[0] === true) ?? [true, null, 0, 0, 0, 0, 0, distinct ? 0 : null, null];
  const minutes = grouped.filter((r) => r[0] !== true).map((r) => [r[1], Number(r[2])]) as MinuteCounts;
  const [events, views, carts, purchases, revenue, sessions, users] = whole
    .slice(2)
    .map((v, i) => (i >= 5 && v === null ? null : Number(v ?? 0))) as number[];
  const order = 'ORDER BY event_time, event_id';
  const bounds = request.limit > 0 ? pageBounds(minutes, 'asc', request.offset, request.limit) : 'empty';
  let rows: unknown[][] = [];
  if (bounds === null) {
    rows = await jsonRows(
      db,
      `SELECT ${jsonSelectList(columns)} ${selection} ${order} LIMIT ${request.limit} OFFSET ${request.offset}`,
      params,
    );
  } else if (bounds !== 'empty') {
    const n = params.length;
    const range = `event_time >= CAST($${n + 1} AS TIMESTAMPTZ) AND event_time < CAST($${n + 2} AS TIMESTAMPTZ)`;
    // Plain filters take the bounds beside them, so DuckDB skips row groups; windows and session conditions
    // must see every selected row first, so the bounds apply after them.
    const bounded =
      !windowed && !request.sessions
        ? `FROM ${silver} WHERE (${predicate || 'true'}) AND ${range}`
        : `FROM (SELECT * ${selection}) WHERE ${range}`;
    rows = await jsonRows(
      db,
      `SELECT ${jsonSelectList(columns)} ${bounded} ${order} LIMIT ${request.limit} OFFSET ${bounds.offset}`,
      [...params, bounds.from, bounds.to],
    );
  }
  const figures = { events, views, carts, purchases, revenue, sessions, users } as LineageRows['figures'];
  return { ...empty, total: figures.events, columns, rows, gold, figures };
}

/** Session conditions judged over the selected rows (after WHERE), as the dashboard's sessions are. */
function sessionsQualify(s: LineageSessions | undefined): string {
  if (!s) return '';
  const over = 'OVER (PARTITION BY session_id)';
  const parts: string[] = [];
  for (const [flag, type] of [
    ['viewed', 'view'],
    ['carted', 'cart'],
    ['purchased', 'purchase'],
  ] as const) {
    const want = s[flag];
    if (want !== undefined) parts.push(`bool_or(event_type = '${type}') ${over} = ${want}`);
  }
  const duration = `CAST(epoch(max(event_time) ${over}) - epoch(min(event_time) ${over}) AS BIGINT)`;
  // Whole numbers, checked by the contract.
  if (s.minDurationS !== undefined) parts.push(`${duration} >= ${Math.trunc(s.minDurationS)}`);
  if (s.maxDurationS !== undefined) parts.push(`${duration} < ${Math.trunc(s.maxDurationS)}`);
  return parts.length ? ` QUALIFY ${parts.join(' AND ')}` : '';
}

/** One Bronze record, read from the file whose offset range holds it. */
export async function bronzeRecord(
  db: DuckDBConnection,
  lake: string,
  topic: string,
  partition: number,
  offset: number,
): Promise<BronzeRecord | null> {
  const paths = lakePaths(lake);
  const partitionDir = paths.bronzePartition(topic, partition);
  if (
    dirname(partitionDir) !== paths.bronzeTopic(topic) ||
    dirname(paths.bronzeTopic(topic)) !== paths.bronze
  ) {
    throw new ApiError({ code: 'VALIDATION', message: `"${topic}" is not a topic name.` });
  }
  const files = (await bronzeFiles(paths.bronzeTopic(topic))).filter((f) => dirname(f) === partitionDir);
  const file = files.find((f) => {
    const m = /(\d{20})-(\d{20})\.parquet$/.exec(f);
    return m && Number(m[1]) <= offset && offset <= Number(m[2]);
  });
  if (!file) return null;
  const result = await db.runAndReadAll(
    `SELECT topic, "partition", "offset"::DOUBLE, strftime(kafka_timestamp AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ'),
            "key", coalesce(TRY(decode(value)), '(not UTF-8) ' || hex(value)), CAST(to_json(headers) AS VARCHAR)
     FROM read_parquet(${quoteLiteral(file)}) WHERE "offset" = $1`,
    [offset],
  );
  const row = result.getRowsJS()[0];
  if (!row) return null;
  return {
    topic: String(row[0]),
    partition: Number(row[1]),
    offset: Number(row[2]),
    kafkaTimestamp: row[3] === null ? null : String(row[3]),
    key: row[4] === null ? null : String(row[4]),
    value: String(row[5]),
    headers: JSON.parse(String(row[6] ?? '{}')) as Record<string, string | null>,
    file,
  };
}

export async function recordLineage(
  db: DuckDBConnection,
  lake: string,
  at: { topic: string; partition: number; offset: number },
  sourceCandidates: string[],
): Promise<RecordLineage> {
  const bronze = await bronzeRecord(db, lake, at.topic, at.partition, at.offset);
  const source = bronze?.headers['clickpulse.source'];
  const row = Number(bronze?.headers['clickpulse.row']);
  if (!bronze || !source || !Number.isSafeInteger(row)) return { bronze, source: null };
  let message: Record<string, unknown> | null = null;
  try {
    message = JSON.parse(bronze.value) as Record<string, unknown>;
  } catch {
    message = null;
  }
  return { bronze, source: await sourceLine(source, row, sourceCandidates, message) };
}
