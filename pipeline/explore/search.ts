import type { DuckDBConnection } from '@duckdb/node-api';
import type { Column, ExploreSearch, Histogram, RowsPage, SearchResult } from '../contract';
import { describe, jsonRows, jsonSelectList, silverSource } from './lake-reader';
import { searchWhere } from './search-sql';
import { MINUTE_MS_SQL, pageBounds, type MinuteCounts } from './time-bounds';

/** Bucket widths a histogram may use, in seconds: the smallest that keeps it within MAX_BUCKETS. */
const BUCKET_LADDER = [
  60,
  300,
  900,
  1800,
  3600,
  3 * 3600,
  6 * 3600,
  12 * 3600,
  86_400,
  7 * 86_400,
  30 * 86_400,
];
const MAX_BUCKETS = 150;

/** The grid's first columns, as an analyst reads an event; Silver's other columns follow in their own order. */
const FIRST = [
  'event_time',
  'event_type',
  'brand',
  'category_code',
  'product_id',
  'price',
  'user_id',
  'session_id',
];

/** Search results: matches, newest first (ties by event id, so pages never overlap). */
const ORDER = 'ORDER BY event_time DESC, event_id';

export async function search(
  db: DuckDBConnection,
  lake: string,
  request: ExploreSearch & { limit: number },
): Promise<SearchResult> {
  const asked = searchWhere(request);
  const source = await silverSource(lake);
  if (!source) {
    return {
      columns: [],
      rows: [],
      total: 0,
      histogram: { bucketSeconds: 60, buckets: [] },
      sql: '',
      params: asked.params,
    };
  }
  const all = await describe(db, `SELECT * FROM ${source}`);
  const where = searchWhere(request, 1, typesOf(all));
  const minutes = await minuteCounts(db, source, where);
  const histogram = coarsen(minutes.filter((m): m is [number, number] => m[0] !== null));
  const total = minutes.reduce((sum, [, n]) => sum + n, 0);
  const page = await searchPage(db, source, all, where, minutes, 0, request.limit);
  return { ...page, total, histogram, sql: page.sql, params: where.params };
}

/** One narrow scan (the filter's columns and event_time): matches per minute, ascending. */
async function minuteCounts(
  db: DuckDBConnection,
  source: string,
  where: { sql: string; params: string[] },
): Promise<MinuteCounts> {
  const perMinute = await db.runAndReadAll(
    `SELECT ${MINUTE_MS_SQL} AS minute, count(*)::DOUBLE FROM ${source} WHERE ${where.sql} GROUP BY minute ORDER BY minute`,
    where.params,
  );
  return perMinute.getRowsJS() as MinuteCounts;
}

export async function pageOf(
  db: DuckDBConnection,
  lake: string,
  request: ExploreSearch & { offset: number; limit: number },
): Promise<RowsPage & { total: number }> {
  searchWhere(request);
  const source = await silverSource(lake);
  if (!source) return { columns: [], rows: [], total: 0 };
  const all = await describe(db, `SELECT * FROM ${source}`);
  const where = searchWhere(request, 1, typesOf(all));
  // The per-minute counts cost what a count costs, and they bound the page.
  const minutes = await minuteCounts(db, source, where);
  const total = minutes.reduce((sum, [, n]) => sum + n, 0);
  const { columns, rows } = await searchPage(db, source, all, where, minutes, request.offset, request.limit);
  return { columns, rows, total };
}

async function searchPage(
  db: DuckDBConnection,
  source: string,
  all: Column[],
  where: { sql: string; params: string[] },
  minutes: MinuteCounts,
  offset: number,
  limit: number,
): Promise<RowsPage & { sql: string }> {
  const rank = (c: Column) => (FIRST.includes(c.name) ? FIRST.indexOf(c.name) : FIRST.length);
  const columns = all
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i)
    .map(({ c }) => c);
  // The SQL shown to the user is the plain query; the one run reads only the minutes that hold the page.
  const sql = `SELECT ${jsonSelectList(columns)} FROM ${source} WHERE ${where.sql} ${ORDER} LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`;
  const bounds = limit > 0 ? pageBounds(minutes, 'desc', offset, limit) : 'empty';
  if (bounds === 'empty') return { columns, rows: [], sql };
  if (bounds === null) return { columns, rows: await jsonRows(db, sql, where.params), sql };
  const n = where.params.length;
  const rows = await jsonRows(
    db,
    `SELECT ${jsonSelectList(columns)} FROM ${source}
     WHERE (${where.sql}) AND event_time >= CAST($${n + 1} AS TIMESTAMPTZ) AND event_time < CAST($${n + 2} AS TIMESTAMPTZ)
     ${ORDER} LIMIT ${Math.trunc(limit)} OFFSET ${bounds.offset}`,
    [...where.params, bounds.from, bounds.to],
  );
  return { columns, rows, sql };
}

const typesOf = (columns: Column[]) => Object.fromEntries(columns.map((c) => [c.name, c.type]));

/** Per-minute counts merged into the narrowest bucket of the ladder that keeps at most MAX_BUCKETS. */
export function coarsen(minutes: [number, number][]): Histogram {
  if (!minutes.length) return { bucketSeconds: 60, buckets: [] };
  const first = minutes[0]?.[0] ?? 0;
  const last = minutes[minutes.length - 1]?.[0] ?? 0;
  const span = (last - first) / 1000;
  const bucketSeconds = BUCKET_LADDER.find((s) => span / s < MAX_BUCKETS) ?? (BUCKET_LADDER.at(-1) as number);
  const width = bucketSeconds * 1000;
  const buckets: [number, number][] = [];
  for (const [minute, n] of minutes) {
    const start = Math.floor(minute / width) * width;
    const tail = buckets[buckets.length - 1];
    if (tail && tail[0] === start) tail[1] += n;
    else buckets.push([start, n]);
  }
  return { bucketSeconds, buckets };
}
