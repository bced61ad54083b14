import { readdirSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { copyFile, mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  DASHBOARD_EVENT_TYPES,
  DashboardFilters,
  figureDrill,
  type DashboardFigure,
  type DashboardFiltersInput,
} from '../../../pipeline/contract';
import { DashboardService } from '../../../pipeline/dashboards/service';
import { LakeReader } from '../../../pipeline/explore/lake-reader';
import { lineageRows } from '../../../pipeline/explore/lineage';
import { buildGold, buildSilver } from '../../../pipeline/lake/build';
import { lakePaths } from '../../../pipeline/lake/layout';
import { writeSampleBronze } from '../../helpers/bronze-fixture';
import { tempDir } from '../../helpers/temp';

const sum = (rows: Record<string, unknown>[], key: string, where = (_r: Record<string, unknown>) => true) =>
  rows.filter(where).reduce((n, r) => n + Number(r[key] ?? 0), 0);

describe('dashboard.snapshot over the sample lake', () => {
  let dir: { path: string; remove: () => Promise<void> };
  let lake: string;
  let service: DashboardService;
  let duck: DuckDBInstance;
  let db: DuckDBConnection;
  const snapshot = (f: DashboardFiltersInput = {}) => service.snapshot(DashboardFilters.parse(f));
  /** An independent answer: plain SQL over Silver's files, not the service's views or predicates. */
  const silver = async (where: string, select: string) => {
    const glob = join(lakePaths(lake).silverEvents, '**', '*.parquet');
    const result = await db.runAndReadAll(
      `SELECT ${select} FROM read_parquet('${glob}', hive_partitioning = true) WHERE ${where}`,
    );
    return result.getRowObjectsJS()[0] ?? {};
  };

  beforeAll(async () => {
    dir = await tempDir();
    lake = join(dir.path, 'lake');
    service = new DashboardService(() => Promise.resolve(lake), { tries: 3, waitMs: 10 });
    duck = await DuckDBInstance.create(':memory:');
    db = await duck.connect();
    await db.run("SET TimeZone = 'UTC'");
  });
  afterAll(async () => {
    db?.closeSync();
    duck?.closeSync();
    await service?.dispose();
    await dir?.remove();
  });

  it('says "not ready" (not zeros) before Gold exists', async () => {
    const s = await snapshot();
    expect(s.ready).toBe(false);
    await writeSampleBronze(lake);
    await buildSilver(lake);
    expect((await snapshot()).ready).toBe(false); // Silver alone: still no Gold
    await buildGold(lake);
  });

  it('gives KPIs and charts that agree with each other, from Gold, and keeps only its own pinned files', async () => {
    const s = await snapshot();
    expect(s.ready).toBe(true);
    expect(s.source).toBe('gold');
    expect(s.consistent).toBe(true);
    expect(s.period).toEqual({ from: '2019-10-01', to: '2019-10-01' });
    expect(s.previousPeriod).toEqual({ from: '2019-09-30', to: '2019-09-30' });
    expect(s.grain).toBe('minute');
    expect(s.kpis).toMatchObject({ views: 987, purchases: 10, sessions: 372 });
    expect(s.kpis.revenue).toBeCloseTo(2387.84, 2);
    expect(s.previous.views).toBe(0);
    expect(sum(s.traffic, 'events', (r) => r.event_type === 'view')).toBe(s.kpis.views);
    expect(sum(s.traffic, 'events', (r) => r.event_type === 'purchase')).toBe(s.kpis.purchases);
    expect(sum(s.categories, 'revenue')).toBeCloseTo(s.kpis.revenue, 2);
    expect(sum(s.categories, 'views')).toBe(s.kpis.views);
    expect(sum(s.heatmap, 'events')).toBe(sum(s.traffic, 'events'));
    expect(sum(s.durations, 'sessions')).toBe(s.kpis.sessions);
    const steps = s.funnel.map((r) => [r.step, r.sessions]);
    expect(steps.map(([step]) => step)).toEqual(['Viewed', 'Carted', 'Purchased']);
    expect(steps[0]?.[1]).toBe(s.kpis.viewSessions);
    // A session funnel never grows from one step to the next.
    expect(Number(steps[1]?.[1])).toBeLessThanOrEqual(Number(steps[0]?.[1]));
    expect(Number(steps[2]?.[1])).toBeLessThanOrEqual(Number(steps[1]?.[1]));
    const independent = await silver('true', 'count(DISTINCT user_id)::INT AS users');
    expect(s.kpis.users).toBe(independent.users);
    // The links of this (agreed) refresh stay, to answer from while a later Gold refresh is half done.
    expect(await readdir(join(lakePaths(lake).state, 'dashboards'))).toHaveLength(1);
  });

  it('answers an unfiltered refresh from Gold alone: it still works with Silver gone', async () => {
    const before = await snapshot();
    const events = lakePaths(lake).silverEvents;
    const away = join(dir.path, 'silver-away');
    await rename(events, away);
    try {
      const s = await snapshot();
      expect(s.source).toBe('gold');
      expect(s.kpis).toEqual(before.kpis);
      expect(s.topProducts).toEqual(before.topProducts);
      expect(s.traffic).toEqual(before.traffic);
    } finally {
      await rename(away, events);
    }
  });

  it('gives the same figures from Gold as from Silver for the same events', async () => {
    const gold = await snapshot();
    // Every event type: the Silver path, over the same events as no filter at all.
    const silverPath = await snapshot({ eventTypes: [...DASHBOARD_EVENT_TYPES] });
    expect([gold.source, silverPath.source]).toEqual(['gold', 'silver']);
    expect(silverPath.kpis).toEqual(gold.kpis);
    expect(silverPath.previous).toEqual(gold.previous);
    for (const panel of ['traffic', 'funnel', 'categories', 'topProducts', 'heatmap', 'durations'] as const)
      expect(silverPath[panel], panel).toEqual(gold[panel]);
    expect(gold.topProducts.length).toBe(10);
    expect(gold.kpis.users).toBeGreaterThan(0);
  });

  it('runs only the newest of the refreshes asked for while one runs; a same-filters request joins it', async () => {
    let runs = 0;
    const queued = new DashboardService(
      () => {
        runs += 1;
        return Promise.resolve(lake);
      },
      { tries: 3, waitMs: 10 },
    );
    try {
      const order: string[] = [];
      const brand = (await queued.snapshot(DashboardFilters.parse({}))).options.brands[0] ?? '';
      runs = 0;
      // All asked for before the first can answer: it runs, the second waits, the third replaces it.
      const first = queued.snapshot(DashboardFilters.parse({}));
      const second = queued.snapshot(DashboardFilters.parse({ brands: [brand] }));
      const third = queued.snapshot(DashboardFilters.parse({ eventTypes: ['view'] }));
      const thirdAgain = queued.snapshot(DashboardFilters.parse({ eventTypes: ['view'] }));
      void first.then(() => order.push('first answered'));
      const superseded = await second.then(
        () => null,
        (error: unknown) => {
          order.push('second superseded');
          return error;
        },
      );
      expect(superseded).toBeInstanceOf(ApiError);
      expect((superseded as ApiError).code).toBe('CANCELLED');
      expect((superseded as ApiError).message).toMatch(/^Superseded: a newer dashboard refresh/);
      const [a, c, c2] = await Promise.all([first, third, thirdAgain]);
      expect(c2).toBe(c);
      expect(a.source).toBe('gold');
      expect(c.kpis.purchases).toBe(0);
      expect(c.kpis.views).toBe(a.kpis.views);
      expect(runs).toBe(2);
      // The superseded request is answered when it would have started: once the first is done.
      expect(order).toEqual(['first answered', 'second superseded']);
    } finally {
      await queued.dispose();
    }
  });

  it('applies each filter to every panel, as an independent query over Silver does', async () => {
    const all = await snapshot();
    const brand = all.options.brands.find((b) => b !== '(none)') ?? '';
    const l1 = all.options.categoryL1.find((c) => c !== '(none)') ?? '';
    expect(brand).not.toBe('');
    expect(l1).not.toBe('');
    const cases: [DashboardFiltersInput, string][] = [
      [{ brands: [brand] }, `brand = '${brand}'`],
      [{ categoryL1: [l1] }, `category_l1 = '${l1}'`],
      [{ categoryL1: ['(none)'] }, 'category_l1 IS NULL'],
      [{ eventTypes: ['view', 'purchase'] }, `event_type IN ('view', 'purchase')`],
      [{ brands: [brand], eventTypes: ['view'] }, `brand = '${brand}' AND event_type = 'view'`],
      [{ weekdays: [2], hours: [0, 1] }, 'isodow(event_time) = 2 AND hour(event_time) IN (0, 1)'],
    ];
    for (const [filters, where] of cases) {
      const s = await snapshot(filters);
      const want = await silver(
        where,
        `count(*) FILTER (WHERE event_type = 'view')::INT AS views,
         count(*) FILTER (WHERE event_type = 'purchase')::INT AS purchases,
         coalesce(sum(price) FILTER (WHERE event_type = 'purchase'), 0)::DOUBLE AS revenue,
         count(DISTINCT session_id)::INT AS sessions, count(DISTINCT user_id)::INT AS users, count(*)::INT AS events`,
      );
      const label = JSON.stringify(filters);
      expect(s.source, label).toBe('silver');
      expect(s.sourceReason, label).toMatch(/Gold's tables have no/);
      expect(s.kpis, label).toMatchObject({
        views: want.views,
        purchases: want.purchases,
        sessions: want.sessions,
        users: want.users,
      });
      expect(s.kpis.revenue, label).toBeCloseTo(Number(want.revenue), 2);
      expect(sum(s.traffic, 'events'), label).toBe(want.events);
      expect(sum(s.heatmap, 'events'), label).toBe(want.events);
      expect(sum(s.categories, 'views'), label).toBe(want.views);
      expect(sum(s.categories, 'revenue'), label).toBeCloseTo(Number(want.revenue), 2);
      expect(sum(s.durations, 'sessions'), label).toBe(want.sessions);
      expect(
        s.topProducts.every((r) => Number(r.views) <= Number(want.views)),
        label,
      ).toBe(true);
      // The filter's choices stay whole, so another value can be picked.
      expect(s.options.brands).toEqual(all.options.brands);
    }
  });

  it('drills every figure to Silver rows that re-aggregate to it, from Gold and from Silver', async () => {
    const reader = new LakeReader(() => Promise.resolve(lake));
    try {
      const all = await snapshot();
      const brand = all.options.brands.find((b) => b !== '(none)') ?? '';
      for (const filters of [
        {},
        { brands: [brand] },
        { lastMinutes: 30 },
        { eventTypes: ['cart' as const] },
      ]) {
        const s = await snapshot(filters);
        const label = JSON.stringify(filters);
        /** The drilled rows summed up here, from the rows themselves (not the service's own figures). */
        const behind = async (figure: DashboardFigure) => {
          const request = figureDrill(s, figure);
          if (!request) throw new Error(`no drill for ${JSON.stringify(figure)}`);
          const r = await reader.with((db) =>
            lineageRows(db, lake, { key: {}, ...request, offset: 0, limit: 100_000 }),
          );
          expect(r.rows, label).toHaveLength(r.total);
          const at = (name: string) => r.columns.findIndex((c) => c.name === name);
          const [type, price, session, user] = ['event_type', 'price', 'session_id', 'user_id'].map(at);
          const rows = r.rows.map((row) => ({
            type: String(row[type ?? -1]),
            price: Number(row[price ?? -1] ?? 0),
            session: String(row[session ?? -1]),
            user: String(row[user ?? -1]),
          }));
          const purchases = rows.filter((x) => x.type === 'purchase');
          return {
            events: rows.length,
            views: rows.filter((x) => x.type === 'view').length,
            purchases: purchases.length,
            revenue: purchases.reduce((n, x) => n + x.price, 0),
            sessions: new Set(rows.map((x) => x.session)).size,
            users: new Set(rows.map((x) => x.user)).size,
            purchaseSessions: new Set(purchases.map((x) => x.session)).size,
          };
        };
        const k = s.kpis;
        expect((await behind({ kind: 'kpi', kpi: 'Views' })).events, label).toBe(k.views);
        expect((await behind({ kind: 'kpi', kpi: 'Purchases' })).events, label).toBe(k.purchases);
        expect((await behind({ kind: 'kpi', kpi: 'Revenue' })).revenue, label).toBeCloseTo(k.revenue, 2);
        expect((await behind({ kind: 'kpi', kpi: 'Sessions' })).sessions, label).toBe(k.sessions);
        // Users are those with an event in the period (and the filters), not the sessions' first users.
        expect((await behind({ kind: 'kpi', kpi: 'Users' })).users, label).toBe(k.users);
        const carted = await behind({ kind: 'kpi', kpi: 'Cart abandonment' });
        if (k.cartAbandonment !== null)
          expect(1 - carted.purchaseSessions / carted.sessions, label).toBeCloseTo(k.cartAbandonment, 6);
        for (const r of s.traffic.slice(0, 4)) {
          const figure = { kind: 'traffic', t: Number(r.t), eventType: String(r.event_type) } as const;
          expect((await behind(figure)).events, `${label} ${JSON.stringify(r)}`).toBe(r.events);
        }
        for (const r of s.funnel)
          expect((await behind({ kind: 'funnel', step: String(r.step) })).sessions, label).toBe(r.sessions);
        for (const r of s.categories.slice(0, 3)) {
          const got = await behind({
            kind: 'category',
            l1: String(r.category_l1),
            l2: String(r.category_l2),
          });
          expect([got.views, got.purchases], `${label} ${JSON.stringify(r)}`).toEqual([r.views, r.purchases]);
          expect(got.revenue, label).toBeCloseTo(Number(r.revenue), 2);
        }
        const l1 = String(s.categories[0]?.category_l1);
        const bar = await behind({ kind: 'category', l1 });
        expect(bar.views, label).toBe(sum(s.categories, 'views', (r) => r.category_l1 === l1));
        for (const r of s.topProducts.slice(0, 3)) {
          const got = await behind({ kind: 'product', productId: String(r.product_id) });
          expect([got.views, got.purchases], label).toEqual([r.views, r.purchases]);
        }
        for (const r of s.heatmap.slice(0, 3)) {
          const got = await behind({ kind: 'heatmap', day: Number(r.day), hour: Number(r.hour) });
          expect(got.events, label).toBe(r.events);
        }
        for (const r of s.durations) {
          const got = await behind({ kind: 'duration', bucket: String(r.bucket) });
          expect(got.sessions, `${label} ${String(r.bucket)}`).toBe(r.sessions);
        }
      }
    } finally {
      reader.dispose();
    }
  });

  it('takes the last N minutes before the newest event, and the N minutes before that as the previous period', async () => {
    const s = await snapshot({ lastMinutes: 30 });
    const newest = await silver('true', 'epoch_ms(max(event_time))::DOUBLE AS t');
    const t = Number(newest.t);
    const window = `event_time > make_timestamptz(${(t - 30 * 60_000) * 1000}::BIGINT)`;
    const want = await silver(
      window,
      `count(*)::INT AS events, count(*) FILTER (WHERE event_type = 'view')::INT AS views`,
    );
    const before = await silver(
      `event_time > make_timestamptz(${(t - 60 * 60_000) * 1000}::BIGINT) AND NOT (${window})`,
      `count(*) FILTER (WHERE event_type = 'view')::INT AS views`,
    );
    expect(s.source).toBe('silver');
    expect(s.latestEventTime).toBe(new Date(t).toISOString());
    expect(sum(s.traffic, 'events')).toBe(want.events);
    expect(s.kpis.views).toBe(want.views);
    expect(s.previous.views).toBe(before.views);
    expect(Number(want.events)).toBeGreaterThan(0);
  });

  it('answers from the last files whose Gold agreed while Gold disagrees (a refresh half done), never mixing them', async () => {
    const agreed = await snapshot();
    const paths = lakePaths(lake);
    // One file of the table (one data.parquet, or a day's in its event_date=… folder) loses rows.
    const dir0 = paths.goldTable('category_daily');
    const first = (readdirSync(dir0, { recursive: true }) as string[]).find((f) => f.endsWith('.parquet'));
    const category = join(dir0, first ?? 'data.parquet');
    const saved = join(dir.path, 'category.parquet');
    await copyFile(category, saved);
    await db.run(`COPY (SELECT * FROM read_parquet('${saved}') LIMIT 1) TO '${category}' (FORMAT parquet)`);
    const fresh = new DashboardService(() => Promise.resolve(lake), { tries: 3, waitMs: 10 });
    try {
      const s = await snapshot();
      expect(s.consistent).toBe(true);
      expect(s.goldWrittenAt).toBe(agreed.goldWrittenAt);
      expect(s.categories).toEqual(agreed.categories);
      expect(s.kpis).toEqual(agreed.kpis);
      // With no earlier agreement to fall back on, it says so.
      expect((await fresh.snapshot(DashboardFilters.parse({}))).consistent).toBe(false);
      // The Silver path does not wait for Gold to agree: its panels all read Silver.
      expect((await fresh.snapshot(DashboardFilters.parse({ brands: ['(none)'] }))).consistent).toBe(true);
    } finally {
      await fresh.dispose();
      await copyFile(saved, category);
    }
    expect((await snapshot()).consistent).toBe(true);
    // Only the last agreed refresh's links stay.
    expect(await readdir(join(paths.state, 'dashboards'))).toHaveLength(1);
  });

  // Last: it adds a day to the lake. A period shorter than the lake reads users and top products from
  // Silver's columns of its days (Gold keeps them for the whole lake only).
  it('agrees with the Silver path over part of the lake and over all of it', async () => {
    const day1 = join(lakePaths(lake).silverEventsDate('2019-10-01'), '*.parquet');
    const day2 = lakePaths(lake).silverEventsDate('2019-10-02');
    await mkdir(day2, { recursive: true });
    // The same events a day later, in sessions of their own (a session counts on the day it starts).
    await db.run(`COPY (SELECT * REPLACE (event_time + INTERVAL 1 DAY AS event_time,
        session_id || '-2' AS session_id, user_session || '-2' AS user_session)
      FROM read_parquet('${day1}')) TO '${join(day2, 'part-0.parquet')}' (FORMAT parquet)`);
    await buildGold(lake);
    for (const dates of [{ from: '2019-10-02', to: '2019-10-02' }, {}]) {
      const gold = await snapshot(dates);
      const silverPath = await snapshot({ ...dates, eventTypes: [...DASHBOARD_EVENT_TYPES] });
      const label = JSON.stringify(dates);
      expect([gold.source, silverPath.source], label).toEqual(['gold', 'silver']);
      expect(silverPath.kpis, label).toEqual(gold.kpis);
      expect(silverPath.previous, label).toEqual(gold.previous);
      for (const panel of ['traffic', 'funnel', 'categories', 'topProducts', 'heatmap', 'durations'] as const)
        expect(silverPath[panel], `${label} ${panel}`).toEqual(gold[panel]);
    }
    const one = await snapshot({ from: '2019-10-02', to: '2019-10-02' });
    const both = await snapshot();
    expect(both.kpis.views).toBe(2 * one.kpis.views);
    expect(one.previous.views).toBe(one.kpis.views); // the previous period is the first day
    expect(both.kpis.users).toBe(one.kpis.users); // the same users on both days
  });
});
