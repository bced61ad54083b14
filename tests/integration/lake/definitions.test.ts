import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGold, buildSilver } from '../../../pipeline/lake/build';
import { goldTables } from '../../../pipeline/lake/gold/tables';
import { classifyBatch, parseBronze } from '../../../pipeline/lake/silver/steps';
import { DashboardFilters } from '../../../pipeline/contract';
import * as panels from '../../../pipeline/dashboards/panels';
import { DASHBOARD_GOLD } from '../../../pipeline/dashboards/pinned-files';
import { scopeOf } from '../../../pipeline/dashboards/scope';
import { writeSampleBronze } from '../../helpers/bronze-fixture';
import { runChild } from '../../helpers/children';
import { SAMPLE_CSV } from '../../helpers/query-lake';
import { repoRoot } from '../../helpers/repo-root';
import { tempDir } from '../../helpers/temp';

/**
 * What the figures mean: funnel and conversion shares are shares of sessions (0…1), and every date, hour and
 * weekday is UTC whatever the session's or the machine's time zone.
 */
let dir: Awaited<ReturnType<typeof tempDir>>;
let lake: string;
let duck: DuckDBInstance;
const ZONES = ['America/Los_Angeles', 'Asia/Tokyo'];

/** A connection in a given time zone, with the lake's tables as views (schemas silver and gold). */
async function connectIn(zone: string): Promise<DuckDBConnection> {
  const db = await duck.connect();
  await db.run(`SET TimeZone = '${zone}';
    CREATE SCHEMA IF NOT EXISTS silver; CREATE SCHEMA IF NOT EXISTS gold;
    CREATE OR REPLACE VIEW silver.events AS SELECT * FROM read_parquet('${join(lake, 'silver/events/**/*.parquet')}', hive_partitioning = true);
    CREATE OR REPLACE TEMP VIEW silver_events AS SELECT * FROM silver.events;
    ${Object.keys(goldTables)
      .map(
        (t) =>
          `CREATE OR REPLACE VIEW gold.${t} AS SELECT * FROM read_parquet('${join(lake, 'gold', t, '**/*.parquet')}', hive_partitioning = true)`,
      )
      .join(';\n')}`);
  return db;
}

/** A TIMESTAMPTZ as text ('2019-10-01 09:00:00+09') as epoch ms; other values unchanged. */
function asEpoch(text: string): string | number {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d)(?::?(\d\d))?$/.exec(text);
  return m ? Date.parse(`${m[1]}T${m[2]}${m[3]}:${m[4] ?? '00'}`) : text;
}

const read = async (db: DuckDBConnection, sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJson();

beforeAll(async () => {
  dir = await tempDir();
  lake = join(dir.path, 'lake');
  await writeSampleBronze(lake);
  await buildSilver(lake);
  await buildGold(lake);
  duck = await DuckDBInstance.create(':memory:');
});
afterAll(async () => {
  duck.closeSync();
  await dir.remove();
});

describe('session-based funnel and conversion', () => {
  it("gives the sample's cart→purchase share as an independent session count does, every share in [0, 1]", async () => {
    const db = await connectIn('UTC');
    try {
      const [funnel] = await read(db, 'SELECT * FROM gold.funnel_daily');
      const [expected] = await read(
        db,
        `WITH s AS (SELECT user_session, bool_or(event_type = 'view') AS v, bool_or(event_type = 'cart') AS c,
                           bool_or(event_type = 'purchase') AS p
                    FROM read_csv('${SAMPLE_CSV}', all_varchar = true) GROUP BY user_session)
         SELECT count(*) FILTER (c AND p) / count(*) FILTER (c) AS cart_to_purchase,
                count(*) FILTER (v AND c) / count(*) FILTER (v) AS view_to_cart,
                count(*) FILTER (v AND p) / count(*) FILTER (v) AS view_to_purchase FROM s`,
      );
      expect(funnel).toMatchObject(expected as object);
      const shares = await read(
        db,
        `SELECT 'funnel_daily' AS t, min(least(view_to_cart, cart_to_purchase, view_to_purchase)) AS lo,
                max(greatest(view_to_cart, cart_to_purchase, view_to_purchase)) AS hi FROM gold.funnel_daily
         UNION ALL SELECT 'brand_daily', min(conversion), max(conversion) FROM gold.brand_daily
         UNION ALL SELECT 'category_daily', min(conversion), max(conversion) FROM gold.category_daily
         UNION ALL SELECT 'product_performance', min(conversion), max(conversion) FROM gold.product_performance`,
      );
      for (const { t, lo, hi } of shares as { t: string; lo: number; hi: number }[]) {
        expect({ t, inRange: lo >= 0 && hi <= 1 }).toEqual({ t, inRange: true });
      }
      // A brand's conversion is over sessions that viewed it: never purchases over views.
      const [brand] = await read(
        db,
        `SELECT count(*) AS n FROM gold.brand_daily WHERE conversion <> view_purchase_sessions / nullif(view_sessions, 0)`,
      );
      expect(brand).toEqual({ n: '0' });
    } finally {
      db.closeSync();
    }
  });
});

describe('UTC whatever the time zone', () => {
  it('computes the same Silver dates, hours and session ids in Los Angeles and Tokyo', async () => {
    const bronze = join(lake, 'bronze/clickpulse_events/**/*.parquet');
    const silverIn = async (zone: string) => {
      const db = await connectIn(zone);
      try {
        await db.run(`CREATE TEMP VIEW bronze_batch AS SELECT * FROM read_parquet('${bronze}')`);
        await parseBronze(db);
        await classifyBatch(db, []);
        return await read(
          db,
          `SELECT event_id, CAST(event_date AS VARCHAR) AS d, event_hour, session_id FROM silver_new ORDER BY event_id`,
        );
      } finally {
        db.closeSync();
      }
    };
    const utc = await silverIn('UTC');
    expect(utc.length).toBe(1000);
    for (const zone of ZONES) expect({ zone, rows: await silverIn(zone) }).toEqual({ zone, rows: utc });
  });

  it('computes every Gold table and dashboard query identically in Los Angeles and Tokyo', async () => {
    // The dashboards' panels over Gold (dates only) and over Silver (a brand filter), as the snapshot runs them.
    const views = Object.entries(DASHBOARD_GOLD)
      .map(([view, table]) => `CREATE OR REPLACE TEMP VIEW ${view} AS SELECT * FROM gold.${table}`)
      .concat('CREATE OR REPLACE TEMP VIEW s_events AS SELECT * FROM silver.events')
      .join(';\n');
    const extent = { first: '2019-10-01', last: '2019-10-01' };
    const latest = Date.parse('2019-10-01T23:59:00Z');
    const gold = scopeOf(DashboardFilters.parse({ from: '2019-10-01', to: '2019-10-01' }), extent, latest);
    const silver = scopeOf(DashboardFilters.parse({ brands: ['samsung'] }), extent, latest);
    const panelQueries = (name: string, scope: typeof gold): [string, string][] => [
      [`dashboard ${name} kpis`, panels.kpiSql(scope, false, latest)],
      [`dashboard ${name} traffic`, panels.trafficSql(scope)],
      [`dashboard ${name} funnel`, panels.funnelSql(scope)],
      [`dashboard ${name} categories`, panels.categoriesSql(scope)],
      [`dashboard ${name} top products`, panels.topProductsSql(scope, latest)],
      [`dashboard ${name} heatmap`, panels.heatmapSql(scope)],
      [`dashboard ${name} durations`, panels.durationsSql(scope)],
    ];
    const queries: [string, string][] = [
      ...Object.entries(goldTables),
      ...panelQueries('gold', gold),
      ...panelQueries('silver', silver),
    ];
    const resultsIn = async (zone: string) => {
      const db = await connectIn(zone);
      try {
        await db.run(views);
        await db.run(panels.silverTables(silver));
        const out: Record<string, unknown> = {};
        // Instants print the same in any zone once made epochs; dates and hours must not move at all.
        for (const [name, sql] of queries) {
          const rows = await db.runAndReadAll(`SELECT * FROM (${sql}) ORDER BY ALL`);
          out[name] = rows
            .getRowObjectsJson()
            .map((r) =>
              Object.fromEntries(
                Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? asEpoch(v) : v]),
              ),
            );
        }
        return out;
      } finally {
        db.closeSync();
      }
    };
    const utc = await resultsIn('UTC');
    expect((utc['dashboard gold heatmap'] as unknown[]).length).toBeGreaterThan(0);
    expect((utc['dashboard silver heatmap'] as unknown[]).length).toBeGreaterThan(0);
    for (const zone of ZONES) expect({ zone, ...(await resultsIn(zone)) }).toEqual({ zone, ...utc });
  });

  it("puts every user session of the query sandbox in UTC, whatever the machine's TZ", async () => {
    const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
    for (const zone of ZONES) {
      const { code, stdout, stderr } = await runChild(
        tsx,
        [join(repoRoot, 'tests/helpers/sandbox-timezone.ts')],
        {
          env: { TZ: zone },
          cwd: repoRoot,
          timeoutMs: 30_000,
        },
      );
      expect(code, stderr).toBe(0);
      expect(JSON.parse(stdout.trim())).toEqual({ tz: 'UTC', day: '2019-10-01' });
    }
  });
});
