/**
 * Explore's fast paths against the straightforward SQL on the same lake: pages of a search and of a drill
 * bounded by their per-minute counts, and journeys read through the user index. The Silver here is written
 * with DuckDB in small row groups and several files per day (as Silver's steps write them), with ties in
 * event_time, a session two users share, and users spread over every file.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Journey } from '../../../pipeline/contract';
import { ExploreService } from '../../../pipeline/explore/service';
import { userIndexDir } from '../../../pipeline/explore/user-index';
import { buildGold } from '../../../pipeline/lake/build';
import { tempDir } from '../../helpers/temp';

let dir: { path: string; remove: () => Promise<void> };
let lake: string;
let duck: DuckDBInstance;
let db: DuckDBConnection;
let service: ExploreService;

const ROWS = 18_000;
/** Rows per Silver file: a day holds several, each in event-time order, like Silver's steps. */
const PER_FILE = 1_500;

/** Silver rows n in [first, last): two events per instant (ties broken by event_id), 300 users. */
const rowsSql = (first: number, last: number, userOf = 'CAST(5000 + hash(range * 13) % 300 AS VARCHAR)') => `
  SELECT md5(range::VARCHAR) AS event_id,
         TIMESTAMPTZ '2019-10-01 00:00:00+00' + to_seconds((range // 2) * 29) AS event_time,
         (['view','view','view','cart','purchase'])[1 + range % 5] AS event_type,
         CAST(1000 + hash(range) % 50 AS VARCHAR) AS product_id,
         CAST(20000 + hash(range) % 7 AS VARCHAR) AS category_id,
         CAST(round(1 + (hash(range * 7) % 20000) / 100.0, 2) AS DECIMAL(18,2)) AS price,
         ${userOf} AS user_id,
         CAST(hour(TIMESTAMPTZ '2019-10-01 00:00:00+00' + to_seconds((range // 2) * 29)) AS INTEGER) AS event_hour,
         (['electronics.smartphone', 'appliances.kitchen.oven', NULL])[1 + (hash(range) % 3)::BIGINT] AS category_code,
         (['electronics', 'appliances', NULL])[1 + (hash(range) % 3)::BIGINT] AS category_l1,
         (['smartphone', 'kitchen', NULL])[1 + (hash(range) % 3)::BIGINT] AS category_l2,
         (['samsung', 'Apple', 'apple', 'xiaomi', NULL])[1 + (hash(range * 3) % 5)::BIGINT] AS brand,
         ${userOf} || '-' || (range // 2000) AS user_session,
         CASE WHEN range IN (4000, 4002, 4003) THEN 'shared-session' ELSE ${userOf} || '-' || (range // 2000) END AS session_id,
         NULL::VARCHAR AS order_id,
         'test' AS source_id, range + 1 AS source_row, 'clickpulse_events' AS topic,
         0 AS "partition", range AS "offset"
  FROM range(${first}, ${last})`;

const lit = (text: string) => `'${text.replaceAll("'", "''")}'`;
const dayOf = (n: number) =>
  new Date(Date.UTC(2019, 9, 1) + Math.floor(n / 2) * 29_000).toISOString().slice(0, 10);

/** Writes rows [first, last) as one Silver file per day they cover, named name. */
async function writeSilver(first: number, last: number, name: string, userOf?: string): Promise<string[]> {
  const files: string[] = [];
  for (const day of [...new Set([dayOf(first), dayOf(last - 1)])]) {
    const folder = join(lake, 'silver', 'events', `event_date=${day}`);
    await mkdir(folder, { recursive: true });
    const file = join(folder, name);
    await db.run(
      `COPY (SELECT * FROM (${rowsSql(first, last, userOf)})
             WHERE CAST(timezone('UTC', event_time) AS DATE) = DATE '${day}' ORDER BY event_time)
       TO ${lit(file)} (FORMAT parquet, ROW_GROUP_SIZE 500)`,
    );
    files.push(file);
  }
  return files;
}

beforeAll(async () => {
  dir = await tempDir();
  // A quote and characters outside ASCII (one outside the BMP) in the lake's path: the index keys files by it.
  lake = join(dir.path, "lake o'ü 😀");
  duck = await DuckDBInstance.create(':memory:');
  db = await duck.connect();
  await db.run(`SET TimeZone = 'UTC'`);
  for (let first = 0; first < ROWS; first += PER_FILE) {
    await writeSilver(first, first + PER_FILE, `part-${first}.parquet`);
  }
  // The shared session: its first event is user 7001's, the next two (29 s later) 7002's.
  const shared = `CASE WHEN range = 4000 THEN '7001' WHEN range IN (4002, 4003) THEN '7002' ELSE CAST(5000 + hash(range * 13) % 300 AS VARCHAR) END`;
  await writeSilver(3000, 4500, 'part-3000.parquet', shared);
  await buildGold(lake);
  await db.run(`CREATE VIEW silver AS SELECT * FROM read_parquet(${lit(join(lake, 'silver/events/**/*.parquet'))}, hive_partitioning = true, union_by_name = true);
    CREATE VIEW session_stats AS SELECT * FROM read_parquet(${lit(join(lake, 'gold/session_stats/**/*.parquet'))}, union_by_name = true);
    CREATE VIEW user_activity AS SELECT * FROM read_parquet(${lit(join(lake, 'gold/user_activity/**/*.parquet'))}, union_by_name = true)`);
  // As the app's: the user index is refreshed in the background after a search or a drill.
  service = new ExploreService({
    lakeDir: async () => lake,
    configDir: join(dir.path, 'config'),
    warmUserIndex: true,
  });
}, 60_000);

afterAll(async () => {
  service?.dispose();
  db?.closeSync();
  duck?.closeSync();
  await dir?.remove();
});

const column = (r: { columns: { name: string }[]; rows: unknown[][] }, name: string) => {
  const i = r.columns.findIndex((c) => c.name === name);
  return r.rows.map((row) => row[i]);
};
const values = async (sql: string, params: string[] = []) =>
  (await db.runAndReadAll(sql, params))
    .getRowsJS()
    .map((r) => (typeof r[0] === 'bigint' ? Number(r[0]) : r[0]));

describe('search pages bounded by their per-minute counts', () => {
  it('equal ORDER BY event_time DESC, event_id LIMIT … OFFSET … over the same filter, at every offset', async () => {
    const cases: [string, { from?: string; to?: string }, string][] = [
      ['', {}, 'true'],
      ['brand:apple', {}, `lower(brand) = 'apple'`],
      ['brand:apple price>50', {}, `lower(brand) = 'apple' AND price > 50`],
      [
        'event_type:cart -brand:samsung',
        {},
        `event_type = 'cart' AND NOT coalesce(lower(brand) = 'samsung', false)`,
      ],
      // Numbers in the column's type when it holds them (DECIMAL(18,2), INTEGER, BIGINT), else as doubles.
      ['price>50.125 offset<9000', {}, `CAST(price AS DOUBLE) > 50.125 AND "offset" < 9000`],
      ['hour>=20 price<=120.50', {}, `event_hour >= 20 AND price <= 120.5`],
      [
        '',
        { from: '2019-10-02T03:00:00.000Z', to: '2019-10-02T09:30:00.000Z' },
        `event_time >= TIMESTAMPTZ '2019-10-02 03:00:00+00' AND event_time < TIMESTAMPTZ '2019-10-02 09:30:00+00'`,
      ],
    ];
    expect(existsSync(userIndexDir(lake))).toBe(false);
    for (const [query, range, where] of cases) {
      const all = await values(
        `SELECT event_id FROM silver WHERE ${where} ORDER BY event_time DESC, event_id`,
      );
      const total = all.length;
      expect(total, query).toBeGreaterThan(300);
      const first = await service.search({ query, ...range, limit: 50 });
      expect(first.total).toBe(total);
      expect(first.histogram.buckets.reduce((s, [, n]) => s + n, 0)).toBe(total);
      expect(column(first, 'event_id')).toEqual(all.slice(0, 50));
      for (const offset of [1, 49, 50, 201, 333, total - 7, total, total + 5]) {
        const page = await service.page({ query, ...range, offset, limit: 50 });
        expect({ query, offset, total: page.total }).toEqual({ query, offset, total });
        expect({ query, offset, ids: column(page, 'event_id') }).toEqual({
          query,
          offset,
          ids: all.slice(offset, offset + 50),
        });
      }
    }
  });
});

describe('the user index after a search', () => {
  it('is built in the background, before any journey', async () => {
    await vi.waitFor(() => expect(existsSync(join(userIndexDir(lake), 'manifest.json'))).toBe(true), {
      timeout: 30_000,
      interval: 50,
    });
  });
});

describe('drill pages bounded by their per-minute counts', () => {
  it('equal ORDER BY event_time, event_id over the grain filter, with windows and session conditions too', async () => {
    const cases: [Parameters<ExploreService['lineage']>[0], string][] = [
      [
        { table: 'brand_daily', key: { event_date: '2019-10-02', brand: 'apple' }, offset: 0, limit: 40 },
        `SELECT * FROM silver WHERE event_date = DATE '2019-10-02' AND coalesce(brand, '(none)') = 'apple'`,
      ],
      [
        { table: 'brand_daily', key: { event_date: '2019-10-03', brand: '(none)' }, offset: 0, limit: 40 },
        `SELECT * FROM silver WHERE event_date = DATE '2019-10-03' AND brand IS NULL`,
      ],
      [
        { table: 'session_daily', key: { event_date: '2019-10-02' }, offset: 0, limit: 40 },
        `SELECT * FROM silver QUALIFY CAST(min(event_time) OVER (PARTITION BY session_id) AS DATE) = DATE '2019-10-02'`,
      ],
      [
        {
          table: 'funnel_daily',
          key: {},
          where: [{ key: 'event_date', in: ['2019-10-01', '2019-10-03'] }],
          sessions: { purchased: true },
          offset: 0,
          limit: 40,
        },
        `SELECT * FROM silver WHERE event_date IN (DATE '2019-10-01', DATE '2019-10-03')
         QUALIFY bool_or(event_type = 'purchase') OVER (PARTITION BY session_id)`,
      ],
    ];
    for (const [request, rows] of cases) {
      const all = await values(`SELECT event_id FROM (${rows}) ORDER BY event_time, event_id`);
      const [[views, revenue]] = (
        await db.runAndReadAll(
          `SELECT count(*) FILTER (WHERE event_type = 'view'), coalesce(sum(price) FILTER (WHERE event_type = 'purchase'), 0)::DOUBLE FROM (${rows})`,
        )
      ).getRowsJS() as [[bigint, number]];
      expect(all.length, JSON.stringify(request)).toBeGreaterThan(100);
      for (const offset of [0, 39, 41, all.length - 3, all.length + 1]) {
        const drilled = await service.lineage({ ...request, offset });
        expect(drilled.total).toBe(all.length);
        expect(drilled.figures.views).toBe(Number(views));
        expect(drilled.figures.revenue).toBeCloseTo(revenue, 6);
        expect({ offset, ids: column(drilled, 'event_id') }).toEqual({
          offset,
          ids: all.slice(offset, offset + 40),
        });
      }
    }
  });
});

describe('journeys through the user index', () => {
  async function expectJourneyExact(userId: string, j?: Journey) {
    const journey = j ?? (await service.journey({ userId, limit: 5000 }));
    const events = await values(
      `SELECT event_id FROM silver WHERE user_id = $1 ORDER BY event_time, event_id`,
      [userId],
    );
    const gaps = await values(
      `SELECT epoch(event_time) - epoch(lag(event_time) OVER (ORDER BY event_time, event_id)) FROM silver
       WHERE user_id = $1 ORDER BY event_time, event_id`,
      [userId],
    );
    const sessions = await values(
      `SELECT session_id FROM session_stats WHERE user_id = $1 ORDER BY session_start, session_id`,
      [userId],
    );
    expect({ userId, events: column(journey.events, 'event_id') }).toEqual({ userId, events });
    expect(column(journey.events, 'gap_s')).toEqual(gaps);
    expect(journey.totalEvents).toBe(events.length);
    expect({ userId, sessions: column(journey.sessions, 'session_id') }).toEqual({ userId, sessions });
    const gold = await values(`SELECT events FROM user_activity WHERE user_id = $1`, [userId]);
    expect(journey.user?.events ?? null).toBe(gold[0] ?? null);
    return journey;
  }

  const segments = () =>
    readdirSync(userIndexDir(lake)).filter((n) => n.startsWith('seg-') && n.endsWith('.parquet'));

  it('returns what the straightforward SQL returns, sessions two users share included', async () => {
    const [top] = await values(`SELECT user_id FROM silver GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`);
    for (const user of [String(top), '7001', '7002', '5003']) await expectJourneyExact(user);
    // 7001's first event opens the shared session, so it is 7001's in Gold, not 7002's.
    expect(column((await service.journey({ userId: '7001', limit: 10 })).sessions, 'session_id')).toContain(
      'shared-session',
    );
    const manifest = JSON.parse(readFileSync(join(userIndexDir(lake), 'manifest.json'), 'utf8')) as {
      segments: { sources: unknown[] }[];
    };
    expect(segments()).toHaveLength(1);
    expect(manifest.segments[0]?.sources).toHaveLength(
      readdirSync(join(lake, 'silver', 'events'), { recursive: true }).filter((n) =>
        String(n).endsWith('.parquet'),
      ).length,
    );
  });

  it('indexes new Silver files only, follows a file rewritten in place or removed, and survives a bad manifest', async () => {
    const [before] = segments();
    const segment = join(userIndexDir(lake), before as string);
    const stamp = statSync(segment).mtimeMs;
    // Segments no manifest names (another process lost a race): removed once old, kept while recent.
    const orphan = join(userIndexDir(lake), 'seg-orphan.parquet');
    const recent = join(userIndexDir(lake), 'seg-recent.parquet');
    writeFileSync(orphan, '');
    writeFileSync(recent, '');
    utimesSync(orphan, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    // A later step: new files, for existing users.
    await writeSilver(ROWS, ROWS + 900, 'part-late.parquet');
    const [user] = await values(
      `SELECT user_id FROM read_parquet(${lit(join(lake, 'silver/events/**/part-late.parquet'))}) GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
    );
    await expectJourneyExact(String(user));
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    rmSync(recent);
    expect(segments()).toHaveLength(2);
    expect(statSync(segment).mtimeMs).toBe(stamp);

    // A step redone: the same file name, other rows (this user's events in it are gone); Gold rebuilt on it.
    const [file] = await writeSilver(6000, 7500, 'part-6000.parquet', `'9999'`);
    expect(existsSync(file as string)).toBe(true);
    await buildGold(lake);
    const [moved] = await values(
      `SELECT user_id FROM (${rowsSql(6000, 7500)}) GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
    );
    await expectJourneyExact(String(moved));
    await expectJourneyExact('9999');

    // A file removed, then a manifest that is not JSON: the answers stay exact.
    rmSync(file as string);
    await buildGold(lake);
    await expectJourneyExact(String(moved));
    writeFileSync(join(userIndexDir(lake), 'manifest.json'), '{not json');
    await expectJourneyExact(String(user));
  });

  it('treats a user id with quotes and SQL as text', async () => {
    for (const userId of [`5003' OR '1'='1`, `"); DROP TABLE x; --`]) {
      const j = await service.journey({ userId, limit: 10 });
      expect({ userId, events: j.totalEvents, sessions: j.sessions.rows.length, user: j.user }).toEqual({
        userId,
        events: 0,
        sessions: 0,
        user: null,
      });
    }
  });
});
