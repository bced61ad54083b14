import type { DuckDBConnection } from '@duckdb/node-api';
import type { Column, ExploreSearch, Histogram, RowsPage, SearchResult } from '../contract';
import { describe, jsonRows, jsonSelectList, silverSource } from './lake-reader';
import { searchWhere } from './search-sql';

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
  const where = searchWhere(request);
  const source = await silverSource(lake);
  if (!source) {
    return {
      columns: [],
      rows: [],
      total: 0,
      histogram: { bucketSeconds: 60, buckets: [] },
      sql: '',
      params: where.params,
    };
  }
  // One scan counts matches per minute: the total is their sum, and coarser buckets are merged from them.
  const perMinute = await db.runAndReadAll(
    `SELECT (epoch(date_trunc('minute', event_time)) * 1000)::DOUBLE AS minute, count(*)::DOUBLE
     FROM ${source} WHERE ${where.sql} GROUP BY minute ORDER BY minute`,
    where.params,
  );
  const minutes = perMinute.getRowsJS() as [number, number][];
  const histogram = coarsen(minutes);
  const total = minutes.reduce((sum, [, n]) => sum + n, 0);
  const page = await searchPage(db, source, where, 0, request.limit);
  return { ...page, total, histogram, sql: page.sql, params: where.params };
}

export async function pageOf(
  db: DuckDBConnection,
  lake: string,
  request: ExploreSearch & { offset: number; limit: number },
): Promise<RowsPage & { total: number }> {
  const where = searchWhere(request);
  const source = await silverSource(lake);
  if (!source) return { columns: [], rows: [], total: 0 };
  const counted = await db.runAndReadAll(
    `SELECT count(*)::DOUBLE FROM ${source} WHERE ${where.sql}`,
    where.params,
  );
  const total = Number(counted.getRowsJS()[0]?.[0] ?? 0);
  const { columns, rows } = await searchPage(db, source, where, request.offset, request.limit);
  return { columns, rows, total };
}

async function searchPage(
  db: DuckDBConnection,
  source: string,
  where: { sql: string; params: string[] },
  offset: number,
  limit: number,
): Promise<RowsPage & { sql: string }> {
  const all: Column[] = await describe(db, `SELECT * FROM ${source}`);
  const rank = (c: Column) => (FIRST.includes(c.name) ? FIRST.indexOf(c.name) : FIRST.length);
  const columns = all
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i)
    .map(({ c }) => c);
  const sql = `SELECT ${jsonSelectList(columns)} FROM ${source} WHERE ${where.sql} ${ORDER} LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`;
  const rows = limit > 0 ? await jsonRows(db, sql, where.params) : [];
  return { columns, rows, sql };
}

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
