import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { DashboardFilters, DashboardKpis, DashboardRow, DashboardSnapshot } from '../contract';
import { limitLakeDb } from '../lake/duckdb';
import { duckdbError } from '../query/sandbox';
import { quoteLiteral } from '../query/sql-builder';
import {
  GOLD_AGREEMENT_SQL,
  GOLD_EXTENT_SQL,
  SILVER_LATEST_SQL,
  categoriesSql,
  durationsSql,
  funnelSql,
  heatmapSql,
  kpiSql,
  optionsSql,
  silverTables,
  topProductsSql,
  trafficSql,
} from './panels';
import { pinFiles, type GoldView, type PinnedFiles } from './pinned-files';
import { scopeOf, silverReasons, type Scope } from './scope';
import { SupersedingQueue } from './superseding-queue';

/** Gold rewrites its tables in well under a second each; this many tries outlast a whole refresh. */
const AGREEMENT_TRIES = 12;
const RETRY_MS = 250;

const EMPTY_KPIS: DashboardKpis = {
  users: 0,
  sessions: 0,
  views: 0,
  carts: 0,
  purchases: 0,
  revenue: 0,
  orders: 0,
  viewSessions: 0,
  purchaseSessions: 0,
  cartAbandonment: null,
};

/**
 * Every panel of the Dashboards screen from one read: the lake's files are pinned (pinned-files.ts), then
 * all panel queries run on one connection over exactly those files, so KPIs and charts of one refresh
 * agree. It is the app's own query (fixed SQL, values quoted), on its own small DuckDB: not users' SQL, so
 * it does not queue behind their queries in the SQL screen.
 */
export class DashboardService {
  private instance: Promise<DuckDBInstance> | undefined;
  /**
   * One refresh at a time, and only the newest waiting: a screen that changed its filters twice while a
   * refresh ran waits for one refresh, not two (a 5M-row lake's refresh took seconds, and each queued one
   * added its own).
   */
  private readonly queue = new SupersedingQueue<DashboardSnapshot>('dashboard refresh');
  /** The files of the last refresh whose Gold tables agreed (see snapshotNow). */
  private agreed: { lake: string; files: PinnedFiles } | null = null;

  constructor(
    private readonly lakeDir: () => Promise<string>,
    private readonly retry = { tries: AGREEMENT_TRIES, waitMs: RETRY_MS },
  ) {}

  /**
   * A snapshot for the filters. Asked for while another refresh runs, it waits; a newer request with other
   * filters replaces it, and then it fails with CANCELLED (the screen has moved on, or asks again).
   */
  snapshot(filters: DashboardFilters): Promise<DashboardSnapshot> {
    return this.queue.run(JSON.stringify(filters), () => this.snapshotNow(filters));
  }

  async dispose(): Promise<void> {
    await this.queue.idle();
    await this.forgetAgreed();
    const instance = this.instance;
    this.instance = undefined;
    if (instance) (await instance.catch(() => undefined))?.closeSync();
  }

  /**
   * Pins the lake's files and reads every panel over them. Gold's panels need Gold's tables to agree (one
   * refresh's): while a replay streams, Gold is being rewritten most of the time, and waiting for it to
   * settle made a refresh take 2–12 s. So the files of the last refresh whose tables agreed stay pinned,
   * and a refresh that finds Gold mid-rewrite answers from them at once (older, and its "as of" says so);
   * it waits and retries only when there are none yet. The Silver path reads Gold only for the period's
   * extent and the filters' choices, so it does not wait for agreement at all.
   */
  private async snapshotNow(filters: DashboardFilters): Promise<DashboardSnapshot> {
    const started = performance.now();
    const lake = await this.lakeDir();
    if (this.agreed?.lake !== lake) await this.forgetAgreed();
    const goldPanels = silverReasons(filters).length === 0;
    for (let attempt = 1; ; attempt++) {
      const pinned = await pinFiles(lake);
      if (!pinned) return notReady(performance.now() - started);
      let kept = false;
      const connection = await this.connect();
      try {
        await defineViews(connection, pinned);
        let files = pinned;
        let consistent = true;
        if (goldPanels) {
          // The same Gold files as the last agreed refresh's agree (a static lake's every refresh).
          consistent =
            this.agreed?.files.goldIdentity === pinned.goldIdentity ||
            agrees(await rows(connection, GOLD_AGREEMENT_SQL));
          if (consistent) {
            await this.forgetAgreed();
            this.agreed = { lake, files: pinned };
            kept = true;
          } else if (this.agreed && (await this.agreed.files.stillThere())) {
            files = this.agreed.files;
            await files.touch();
            await defineViews(connection, files);
            consistent = true;
          } else if (attempt < this.retry.tries) {
            await new Promise((r) => setTimeout(r, this.retry.waitMs));
            continue;
          }
        }
        return await this.read(connection, files, filters, consistent, started);
      } catch (error) {
        // A batch build may swap Silver's folder between pinning and reading: pin again, once.
        if (attempt < 2 && /No files found|No such file|Could not open/i.test(String(error))) {
          if (!kept) await this.forgetAgreed();
          continue;
        }
        throw duckdbError(error);
      } finally {
        connection.closeSync();
        if (!kept) await pinned.release();
      }
    }
  }

  private async forgetAgreed(): Promise<void> {
    const agreed = this.agreed;
    this.agreed = null;
    await agreed?.files.release();
  }

  private async read(
    db: DuckDBConnection,
    pinned: PinnedFiles,
    filters: DashboardFilters,
    consistent: boolean,
    started: number,
  ): Promise<DashboardSnapshot> {
    const [extentRow] = await rows(db, GOLD_EXTENT_SQL);
    if (!extentRow?.first || !extentRow.last) return notReady(performance.now() - started);
    const extent = { first: String(extentRow.first), last: String(extentRow.last) };
    const goldLatest = Number(extentRow.latest_minute ?? 0);
    let latest = goldLatest;
    // Read from Silver, the newest event is Silver's (it runs ahead of Gold).
    if (silverReasons(filters).length)
      latest = Number((await rows(db, SILVER_LATEST_SQL))[0]?.latest ?? goldLatest);
    const scope = scopeOf(filters, extent, latest);
    if (scope.source === 'silver') await db.run(silverTables(scope));
    const kpis = toKpis((await rows(db, kpiSql(scope, false, goldLatest)))[0]);
    const previous = toKpis((await rows(db, kpiSql(scope, true, goldLatest)))[0]);
    const traffic = await rows(db, trafficSql(scope));
    const funnel = await rows(db, funnelSql(scope));
    const categories = await rows(db, categoriesSql(scope));
    const topProducts = await rows(db, topProductsSql(scope, goldLatest));
    const heatmap = await rows(db, heatmapSql(scope));
    const durations = await rows(db, durationsSql(scope));
    const options = optionsSql(scope);
    const values = async (sql: string) => (await rows(db, sql)).map((r) => String(r.v));
    return {
      ready: true,
      source: scope.source,
      sourceReason: scope.sourceReason,
      goldWrittenAt: pinned.goldWrittenAt.toISOString(),
      latestEventTime: latest ? new Date(latest).toISOString() : null,
      extent,
      period: scope.period,
      previousPeriod: scope.previousPeriod,
      grain: scope.grain,
      consistent,
      kpis,
      previous,
      traffic,
      funnel,
      categories,
      topProducts,
      heatmap,
      durations,
      options: {
        categoryL1: await values(options.l1),
        categoryL2: await values(options.l2),
        brands: await values(options.brands),
      },
      drill: drillOf(scope, goldLatest),
      tookMs: Math.round(performance.now() - started),
    };
  }

  private async connect(): Promise<DuckDBConnection> {
    this.instance ??= (async () => {
      const instance = await DuckDBInstance.create(':memory:');
      const setup = await instance.connect();
      try {
        await limitLakeDb(setup);
        // Every panel's SQL orders what it returns; unordered, writing the filtered events' temp table
        // took 0.7 s instead of 0.9 s at 5M rows.
        await setup.run('SET preserve_insertion_order = false');
      } finally {
        setup.closeSync();
      }
      return instance;
    })();
    return (await this.instance).connect();
  }
}

async function defineViews(db: DuckDBConnection, pinned: PinnedFiles): Promise<void> {
  const list = (files: string[]) => `[${files.map(quoteLiteral).join(', ')}]`;
  const statements = (Object.entries(pinned.gold) as [GoldView, string[]][]).map(
    ([view, files]) =>
      `CREATE OR REPLACE TEMP VIEW ${view} AS SELECT * FROM read_parquet(${list(files)}, union_by_name = true)`,
  );
  // Silver's files carry event_date in their folder name only (hive partitioning).
  statements.push(
    pinned.silver.length
      ? `CREATE OR REPLACE TEMP VIEW s_events AS SELECT * FROM read_parquet(${list(pinned.silver)}, hive_partitioning = true, union_by_name = true)`
      : `CREATE OR REPLACE TEMP VIEW s_events AS SELECT * FROM g_sessions WHERE false`,
  );
  await db.run(statements.join(';\n'));
}

async function rows(db: DuckDBConnection, sql: string): Promise<DashboardRow[]> {
  const result = await db.runAndReadAll(sql);
  return result.getRowObjectsJS().map((row) => {
    const out: DashboardRow = {};
    for (const [key, value] of Object.entries(row)) {
      out[key] =
        value === null || value === undefined
          ? null
          : typeof value === 'number' || typeof value === 'string'
            ? value
            : typeof value === 'bigint'
              ? Number(value)
              : String(value);
    }
    return out;
  });
}

function agrees(result: DashboardRow[]): boolean {
  const r = result[0] ?? {};
  const same = (...keys: string[]) =>
    keys.every((k) => Math.abs(Number(r[k] ?? 0) - Number(r[keys[0] ?? ''] ?? 0)) < 0.005);
  return (
    same('traffic_events', 'session_events', 'user_events', 'heatmap_events') &&
    same('funnel_views', 'category_views', 'brand_views', 'traffic_views', 'session_views') &&
    same(
      'funnel_purchases',
      'category_purchases',
      'session_purchases',
      'user_purchases',
      'heatmap_purchases',
    ) &&
    same('funnel_revenue', 'category_revenue', 'heatmap_revenue')
  );
}

/**
 * The Silver rows each kind of figure reads, as the panels' SQL reads them: Gold's sessions are the sessions
 * that started in the period (session_daily's day), with all their events; on the Silver path a session is
 * the filtered events it has. Top products on the Gold path stop at Gold's newest minute (topProductsSql).
 */
function drillOf(scope: Scope, goldLatestMinuteMs: number): DashboardSnapshot['drill'] {
  const events = { table: 'funnel_daily', where: scope.drillWhere };
  if (scope.source === 'silver') return { events, sessions: events, products: events };
  return {
    events,
    sessions: { table: 'session_daily', where: [scope.drillDates] },
    products: {
      table: 'product_performance',
      where: [
        scope.drillDates,
        { key: 'event_time', before: new Date(goldLatestMinuteMs + 60_000).toISOString() },
      ],
    },
  };
}

function toKpis(row: DashboardRow | undefined): DashboardKpis {
  if (!row) return EMPTY_KPIS;
  const n = (key: string) => Number(row[key] ?? 0);
  return {
    users: n('users'),
    sessions: n('sessions'),
    views: n('views'),
    carts: n('carts'),
    purchases: n('purchases'),
    revenue: n('revenue'),
    orders: n('orders'),
    viewSessions: n('view_sessions'),
    purchaseSessions: n('purchase_sessions'),
    cartAbandonment: row.cart_abandonment === null ? null : n('cart_abandonment'),
  };
}

function notReady(tookMs: number): DashboardSnapshot {
  return {
    ready: false,
    source: 'gold',
    sourceReason: null,
    goldWrittenAt: null,
    latestEventTime: null,
    extent: null,
    period: null,
    previousPeriod: null,
    grain: 'hour',
    consistent: true,
    kpis: EMPTY_KPIS,
    previous: EMPTY_KPIS,
    traffic: [],
    funnel: [],
    categories: [],
    topProducts: [],
    heatmap: [],
    durations: [],
    options: { categoryL1: [], categoryL2: [], brands: [] },
    drill: null,
    tookMs: Math.round(tookMs),
  };
}
