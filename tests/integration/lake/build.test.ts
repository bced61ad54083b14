import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildGold, buildSilver } from '../../../pipeline/lake/build';
import { goldTables } from '../../../pipeline/lake/gold/tables';
import { writeSampleBronze } from '../../helpers/bronze-fixture';
import { goldDifferences } from '../../helpers/gold-checks';
import { SAMPLE_CSV } from '../../helpers/query-lake';
import { runCli } from '../../helpers/run-cli';
import { tempDir } from '../../helpers/temp';

let duck: DuckDBInstance;
let db: DuckDBConnection;
const rows = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJS();

beforeAll(async () => {
  duck = await DuckDBInstance.create(':memory:');
  db = await duck.connect();
  await db.run("SET TimeZone = 'UTC'");
});
afterAll(() => {
  db.closeSync();
  duck.closeSync();
});

describe('Silver and Gold built from Bronze', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let lake: string;
  beforeEach(async () => {
    dir = await tempDir();
    lake = join(dir.path, 'lake');
  });
  afterEach(() => dir.remove());

  it('turns the 1000-row sample into 1000 Silver events, nothing quarantined, Gold figures exact', async () => {
    expect(await writeSampleBronze(lake)).toBe(1000);
    expect(await buildSilver(lake)).toEqual({ bronzeRows: 1000, events: 1000, quarantined: 0 });
    const tables = await buildGold(lake);
    expect(Object.keys(tables).sort()).toEqual(Object.keys(goldTables).sort());

    const [funnel] = await rows(
      `SELECT * FROM read_parquet('${join(lake, 'gold/funnel_daily/**/*.parquet')}')`,
    );
    expect(funnel).toMatchObject({ views: 987n, carts: 3n, purchases: 10n, removals: 0n, revenue: 2387.84 });
    const [silver] = await rows(
      `SELECT count(*) AS n, count(DISTINCT event_id) AS ids, max(price) AS top FROM read_parquet('${join(lake, 'silver/events/**/*.parquet')}', hive_partitioning = true)`,
    );
    expect(silver).toEqual({ n: 1000n, ids: 1000n, top: 1763.21 });
    const [ids] = await rows(
      `SELECT count(*) AS n FROM read_parquet('${join(lake, 'silver/events/**/*.parquet')}') WHERE category_id = '2053013555631882655'`,
    );
    expect(Number(ids?.n)).toBeGreaterThan(0);
  });

  it('keeps every Gold table equal to an independent DuckDB query over the CSV', async () => {
    await writeSampleBronze(lake);
    await buildSilver(lake);
    await buildGold(lake);
    for (const [table, diff] of await goldDifferences(db, lake))
      expect({ table, diff }).toEqual({ table, diff: [] });
  });

  it('deduplicates a file replayed twice: Bronze 2000, Silver still 1000, Gold unchanged', async () => {
    expect(await writeSampleBronze(lake, { copies: 2 })).toBe(2000);
    expect(await buildSilver(lake)).toEqual({ bronzeRows: 2000, events: 1000, quarantined: 0 });
    await buildGold(lake);
    const [funnel] = await rows(
      `SELECT views, purchases, revenue FROM read_parquet('${join(lake, 'gold/funnel_daily/**/*.parquet')}')`,
    );
    expect(funnel).toEqual({ views: 987n, purchases: 10n, revenue: 2387.84 });
  });

  it('quarantines each bad record with its reason and keeps the good ones', async () => {
    const good = (over: object) =>
      JSON.stringify({
        event_time: '2019-10-02T10:00:00Z',
        event_type: 'view',
        product_id: '1',
        category_id: '2',
        category_code: null,
        brand: null,
        price: 5,
        user_id: '9',
        user_session: 's',
        order_id: null,
        ...over,
      });
    await writeSampleBronze(lake, {
      badValues: [
        'not json at all',
        '[1, 2]',
        good({ event_time: 'yesterday' }),
        good({ event_time: '1970-01-01T00:00:00Z' }),
        good({ user_id: null }),
        good({ event_type: '' }),
        good({ price: 'cheap' }),
        good({ price: -3 }),
        good({ event_type: 'Add_To_Cart', user_session: 'fresh' }),
      ],
    });
    expect(await buildSilver(lake)).toEqual({ bronzeRows: 1009, events: 1001, quarantined: 8 });
    const reasons = (
      await rows(
        `SELECT reason FROM read_parquet('${join(lake, 'silver/quarantine/*.parquet')}') ORDER BY source_row`,
      )
    ).map((r) => r.reason);
    expect(reasons).toEqual([
      'value is not JSON',
      'value is not a JSON object',
      'event_time is not a timestamp: yesterday',
      'event_time is implausibly early: 1970-01-01T00:00:00Z',
      'user_id is missing',
      'event_type is missing',
      'price is not a number: cheap',
      'price is negative: -3',
    ]);
    const [late] = await rows(
      `SELECT event_type, event_date FROM read_parquet('${join(lake, 'silver/events/**/*.parquet')}', hive_partitioning = true) WHERE user_session = 'fresh'`,
    );
    expect(late).toMatchObject({ event_type: 'cart' });
    expect((late?.event_date as Date).toISOString().slice(0, 10)).toBe('2019-10-02');
  });

  it('says what to do when a layer below is empty', async () => {
    await expect(buildSilver(lake)).rejects.toThrow(/No Bronze data for topic "clickpulse_events"/);
    await expect(buildGold(lake)).rejects.toThrow(/Silver is empty/);
  });
});

describe('clickpulse build', () => {
  it('rebuilds silver and gold and reports each layer; explains failures', async () => {
    const { main } = await import('../../../pipeline/cli/main');
    const dir = await tempDir();
    const lake = join(dir.path, 'lake');
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      stopSignal: new Promise<void>(() => undefined),
    };
    try {
      expect(await main(['build', 'gold', '--lake', lake], io)).toBe(1);
      expect(err.join('\n')).toContain('Silver is empty');
      expect(await main(['build', 'bronze', '--lake', lake], io)).toBe(2);
      await writeSampleBronze(lake);
      expect(await main(['build', 'all', '--lake', lake], io)).toBe(0);
      expect(out).toContain('silver: 1000 events from 1000 Bronze messages; 0 quarantined');
      expect(out).toContain('gold.funnel_daily: 1 rows');
    } finally {
      await dir.remove();
    }
  });
});

describe('clickpulse replay --lake --bronze-only, then clickpulse build all', () => {
  it('lands Bronze alone (no Silver or Gold); build all then makes Silver and the exact funnel', async () => {
    const dir = await tempDir();
    const lake = join(dir.path, 'lake');
    const common = ['--broker-port', '0', '--broker-data', join(dir.path, 'broker')];
    const config = ['--config', join(dir.path, 'config')];
    try {
      const refused = await runCli(['replay', SAMPLE_CSV, '--bronze-only', ...config]);
      expect(refused).toMatchObject({
        code: 2,
        err: 'clickpulse replay: --bronze-only needs --lake DIR (it says which lake layers to build).',
      });
      const replay = await runCli([
        'replay',
        SAMPLE_CSV,
        '--lake',
        lake,
        '--bronze-only',
        ...common,
        ...config,
      ]);
      expect(replay.code, replay.err).toBe(0);
      expect(replay.out).toMatch(
        /^running: Bronze 1000 rows \(\d+ files\), Silver and Gold off \(Bronze only\), lag 0/m,
      );
      expect(replay.err).toContain(`Build Silver and Gold with: clickpulse build all --lake ${lake}`);
      expect(replay.out).not.toContain('gold.');
      expect(existsSync(join(lake, 'silver'))).toBe(false);
      expect(existsSync(join(lake, 'gold'))).toBe(false);
      const [bronze] = await rows(
        `SELECT count(*) AS n, count(DISTINCT headers['clickpulse.row']) AS lineage FROM read_parquet('${join(lake, 'bronze/clickpulse_events/**/*.parquet')}')`,
      );
      expect(bronze).toEqual({ n: 1000n, lineage: 1000n });

      const build = await runCli(['build', 'all', '--lake', lake]);
      expect(build.code, build.err).toBe(0);
      expect(build.out).toContain('silver: 1000 events from 1000 Bronze messages; 0 quarantined');
      const [funnel] = await rows(
        `SELECT views, carts, purchases, revenue FROM read_parquet('${join(lake, 'gold/funnel_daily/**/*.parquet')}')`,
      );
      expect(funnel).toEqual({ views: 987n, carts: 3n, purchases: 10n, revenue: 2387.84 });
    } finally {
      await dir.remove();
    }
  });
});
