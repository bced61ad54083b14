import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayProgress } from '../../../pipeline/contract';
import { goldTables } from '../../../pipeline/lake/gold/tables';
import { dispatch, type Workbench } from '../../../pipeline/workbench';
import { goldDifferences } from '../../helpers/gold-checks';
import { SAMPLE_CSV } from '../../helpers/query-lake';
import { testWorkbench } from '../../helpers/workbench';

let wb: { workbench: Workbench; dir: string; dispose: () => Promise<void> };
let lake: string;
let duck: DuckDBInstance;
let db: DuckDBConnection;

beforeAll(async () => {
  wb = await testWorkbench();
  lake = join(wb.dir, 'lake');
  duck = await DuckDBInstance.create(':memory:');
  db = await duck.connect();
  await db.run("SET TimeZone = 'UTC'");
  expect(await dispatch(wb.workbench, 'broker.start', { port: 0 })).toMatchObject({ ok: true });
  expect(await dispatch(wb.workbench, 'stream.start', {})).toMatchObject({
    ok: true,
    value: { state: 'running' },
  });
});
afterAll(async () => {
  db.closeSync();
  duck.closeSync();
  await wb.dispose();
});

const count = async (sql: string) => Number((await db.runAndReadAll(sql)).getRowsJS()[0]?.[0]);
const bronze = () => `read_parquet('${join(lake, 'bronze', 'clickpulse_events', '**', '*.parquet')}')`;
const silver = () =>
  `read_parquet('${join(lake, 'silver', 'events', '**', '*.parquet')}', hive_partitioning = true)`;

async function replayToLake(restart = false): Promise<ReplayProgress> {
  const started = await dispatch(wb.workbench, 'replay.start', { path: SAMPLE_CSV, resume: !restart });
  expect(started).toMatchObject({ ok: true });
  for (;;) {
    const p = await wb.workbench.call('replay.status', {});
    if (p && ['completed', 'failed', 'stopped'].includes(p.state)) {
      await wb.workbench.stream.caughtUp();
      return p;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the streaming lake', () => {
  it('turns a replay of the sample into Bronze 1000, Silver 1000, nothing quarantined, Gold equal to the CSV', async () => {
    expect(await replayToLake()).toMatchObject({ state: 'completed', rowsSent: 1000 });
    expect(await count(`SELECT count(*) FROM ${bronze()}`)).toBe(1000);
    expect(await count(`SELECT count(*) FROM ${silver()}`)).toBe(1000);
    const [funnel] = (
      await db.runAndReadAll(
        `SELECT views, carts, purchases, revenue FROM read_parquet('${join(lake, 'gold/funnel_daily/**/*.parquet')}')`,
      )
    ).getRowObjectsJS();
    expect(funnel).toEqual({ views: 987n, carts: 3n, purchases: 10n, revenue: 2387.84 });
    for (const [table, diff] of await goldDifferences(db, lake))
      expect({ table, diff }).toEqual({ table, diff: [] });
    const status = await wb.workbench.call('stream.status', {});
    expect(status).toMatchObject({
      state: 'running',
      bronze: { rows: 1000 },
      silver: { rows: 1000, quarantined: 0 },
    });
    expect(status.partitions.every((p) => p.lag === 0)).toBe(true);
    expect(status.freshness.goldSeconds).not.toBeNull();
  });

  it('exports the Gold tables of the replayed sample: every CSV parses back to its table', async () => {
    const outDir = join(wb.dir, 'tableau');
    const result = await dispatch(wb.workbench, 'export.run', {
      tables: Object.keys(goldTables),
      formats: ['csv', 'tableau'],
      outDir,
    });
    expect(result).toMatchObject({ ok: true });
    for (const table of Object.keys(goldTables)) {
      const csv = await count(`SELECT count(*) FROM read_csv('${join(outDir, `${table}.csv`)}')`);
      expect({ table, csv }).toEqual({
        table,
        csv: await count(
          `SELECT count(*) FROM read_parquet('${join(lake, 'gold', table, '**', '*.parquet')}')`,
        ),
      });
    }
  });

  it('keeps Silver and Gold unchanged when the same file is replayed again (Bronze 2000)', async () => {
    expect(await replayToLake(true)).toMatchObject({ state: 'completed', rowsSent: 1000 });
    expect(await count(`SELECT count(*) FROM ${bronze()}`)).toBe(2000);
    expect(await count(`SELECT count(*) FROM (SELECT DISTINCT "partition", "offset" FROM ${bronze()})`)).toBe(
      2000,
    );
    expect(await count(`SELECT count(*) FROM ${silver()}`)).toBe(1000);
    for (const [table, diff] of await goldDifferences(db, lake))
      expect({ table, diff }).toEqual({ table, diff: [] });
  });

  it('quarantines bad records arriving on the topic with their reason; good ones reach Silver', async () => {
    const { bootstrap } = await wb.workbench.call('broker.status', {});
    const producer = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    const good = JSON.stringify({
      event_time: '2019-10-02T10:00:00.000Z',
      event_type: 'view',
      product_id: '1',
      category_id: '2',
      price: 5,
      user_id: '77',
      user_session: 'late-session',
    });
    await producer.send({
      topic: 'clickpulse_events',
      messages: [
        { key: '77', value: good },
        { key: 'x', value: 'not json' },
        { key: 'x', value: Buffer.from([0xff, 0xfe, 0x00]) },
        { key: 'x', value: JSON.stringify({ event_time: 'soon', event_type: 'view', user_id: '1' }) },
        {
          key: 'x',
          value: JSON.stringify({
            event_time: '2019-10-02T10:00:00Z',
            event_type: 'view',
            user_id: '1',
            price: -3,
          }),
        },
      ],
    });
    await producer.disconnect();
    await wb.workbench.stream.caughtUp();
    const reasons = (
      await db.runAndReadAll(
        `SELECT reason FROM read_parquet('${join(lake, 'silver', 'quarantine', '*.parquet')}') ORDER BY reason`,
      )
    )
      .getRowsJS()
      .map(([r]) => String(r));
    expect(reasons).toEqual([
      'event_time is not a timestamp: soon',
      'price is negative: -3',
      'value is not JSON',
      'value is not valid UTF-8',
    ]);
    // A late event lands in its own day's partition.
    expect(
      await count(
        `SELECT count(*) FROM ${silver()} WHERE event_date = DATE '2019-10-02' AND user_session = 'late-session'`,
      ),
    ).toBe(1);
    expect(await count(`SELECT count(*) FROM ${silver()}`)).toBe(1001);
  });
});
