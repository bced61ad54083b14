import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { Kafka, logLevel } from 'kafkajs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataQuality } from '../../../pipeline/contract';
import { dispatch, type Workbench } from '../../../pipeline/workbench';
import { SAMPLE_CSV } from '../../helpers/query-lake';
import { replayedLake } from '../../helpers/replayed-lake';
import { tempDir } from '../../helpers/temp';

let dir: { path: string; remove: () => Promise<void> };
let workbench: Workbench;
let lake: string;
let duck: DuckDBInstance;
let db: DuckDBConnection;
let rejected = 0;

/** The sample with dirt appended: two exact copies of a row, a row without a user, a bad price, a short line. */
function dirtyFile(path: string): void {
  const lines = readFileSync(SAMPLE_CSV, 'utf8').trimEnd().split('\n');
  lines.push(
    lines[5] as string,
    lines[5] as string,
    '2019-10-01 09:00:00 UTC,purchase,1005105,2053013555631882655,electronics.smartphone,apple,1000.00,,fixme-session',
    '2019-10-01 09:01:00 UTC,view,1005105,2053013555631882655,electronics.smartphone,apple,abc,512000001,s-2',
    '2019-10-01 09:02:00 UTC,view,1005105',
  );
  writeFileSync(path, `${lines.join('\n')}\n`);
}

const scalar = async (sql: string) => Number((await db.runAndReadAll(sql)).getRowsJS()[0]?.[0]);
const silver = () => `read_parquet('${join(lake, 'silver/events/**/*.parquet')}', hive_partitioning = true)`;

beforeAll(async () => {
  dir = await tempDir();
  lake = join(dir.path, 'lake');
  const path = join(dir.path, 'dirty.csv');
  dirtyFile(path);
  ({ workbench } = await replayedLake({ lake, configDir: join(dir.path, 'config'), path }));
  rejected = (await workbench.call('replay.status', {}))?.rowsRejected ?? -1;
  // A message that is not an event at all, straight onto the topic: Silver quarantines it.
  const bootstrap = workbench.broker.current().bootstrap;
  const producer = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  await producer.send({
    topic: 'clickpulse_events',
    messages: [{ value: 'not json', headers: { 'clickpulse.source': 'hand-typed', 'clickpulse.row': '1' } }],
  });
  await producer.disconnect();
  await workbench.stream.caughtUp();
  duck = await DuckDBInstance.create(':memory:');
  db = await duck.connect();
}, 120_000);
afterAll(async () => {
  db?.closeSync();
  duck?.closeSync();
  await workbench?.close();
  await dir?.remove();
});

const summary = async () => workbench.call('dq.summary', {}) as Promise<DataQuality>;
const total = (dq: DataQuality, source: string) =>
  dq.counts.filter((c) => c.source === source).reduce((s, c) => s + c.rows, 0);

describe('Data quality', () => {
  it('counts equal the quarantine files, the DLQ topic and the source’s duplicates', async () => {
    const dq = await summary();
    expect(rejected).toBe(3);
    expect(total(dq, 'dlq')).toBe(rejected);
    expect(dq.dlqNote).toBeNull();
    const quarantined = await scalar(
      `SELECT count(*) FROM read_parquet('${join(lake, 'silver/quarantine/*.parquet')}')`,
    );
    expect(quarantined).toBe(1);
    expect(total(dq, 'quarantine')).toBe(quarantined);
    expect(dq.counts.find((c) => c.source === 'quarantine')?.reason).toBe('value is not JSON');
    expect(
      dq.counts
        .filter((c) => c.source === 'dlq')
        .map((c) => c.reason)
        .sort(),
    ).toEqual(['MISSING COLUMNS', 'price is not a number', 'user_id is missing']);
    const file = dq.health.find((h) => h.sourceId.startsWith('dirty.csv@'));
    expect(file).toMatchObject({ bronze: 1002, silver: 1000, quarantined: 0, dlq: 3, duplicates: 2 });
    expect(dq.health.find((h) => h.sourceId === 'hand-typed')).toMatchObject({ bronze: 1, quarantined: 1 });
    expect(dq.silverRows).toBe(await scalar(`SELECT count(*) FROM ${silver()}`));
    // The lake's own checks: the two planted duplicates are what it dropped as duplicates within the source.
    expect(dq.dqDaily).toBe('computed');
    const duplicates = dq.counts.filter((c) => c.source === 'dq_daily' && c.reason === 'duplicate_in_source');
    expect(duplicates.reduce((n, c) => n + c.rows, 0)).toBe(2);
  });

  it('opens the rows behind a count, with reason and raw row', async () => {
    const dlq = await workbench.call('dq.rows', { source: 'dlq', reason: 'user_id is missing', limit: 10 });
    expect(dlq.rows).toHaveLength(1);
    const raw = String(dlq.rows[0]?.[dlq.columns.findIndex((c) => c.name === 'raw')]);
    expect(raw).toContain('fixme-session');
    const quarantine = await workbench.call('dq.rows', { source: 'quarantine', limit: 10 });
    expect(
      quarantine.rows.map((r) => r[quarantine.columns.findIndex((c) => c.name === 'raw_value')]),
    ).toEqual(['not json']);
  });

  it('re-sends a fixed dead letter through the topic into Silver once, with its lineage', async () => {
    const dlq = await workbench.call('dq.rows', { source: 'dlq', reason: 'user_id is missing', limit: 10 });
    const at = (n: string) => dlq.rows[0]?.[dlq.columns.findIndex((c) => c.name === n)];
    const offset = Number(at('offset'));
    const event = {
      event_time: '2019-10-01T09:00:00Z',
      event_type: 'purchase',
      product_id: '1005105',
      category_id: '2053013555631882655',
      category_code: 'electronics.smartphone',
      brand: 'apple',
      price: 1000,
      user_id: '512999999',
      user_session: 'fixme-session',
    };
    expect(
      await dispatch(workbench, 'dq.resend', { offset, event: { ...event, user_id: '' } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringMatching(/user_id/) },
    });
    const answer = await dispatch(workbench, 'dq.resend', { offset, event });
    if (!answer.ok) throw new Error(answer.error.message);
    const sent = answer.value as { topic: string; partition: number; offset: number };
    expect(sent.topic).toBe('clickpulse_events');
    expect(await dispatch(workbench, 'dq.resend', { offset, event })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/already re-sent/) },
    });
    await workbench.stream.caughtUp();
    const rows = (
      await db.runAndReadAll(
        `SELECT source_id, source_row, "offset" FROM ${silver()} WHERE user_id = '512999999'`,
      )
    ).getRowsJS();
    expect(rows).toEqual([[at('source'), BigInt(Number(at('row'))), BigInt(sent.offset)]]);
    const record = await workbench.call('lineage.record', sent);
    expect(record.bronze?.headers['clickpulse.resent-from']).toBe(`clickpulse_events_dlq@${offset}`);
  });

  it('reads silver.dq_daily as the lake wrote it, per day and reason', async () => {
    const dq = await summary();
    const want = (
      await db.runAndReadAll(
        `SELECT strftime(event_date, '%Y-%m-%d'), reason, sum("rows")::INTEGER
           FROM read_parquet('${join(lake, 'silver', 'dq_daily', '**', '*.parquet')}') GROUP BY ALL ORDER BY 1, 2`,
      )
    )
      .getRowsJS()
      .map(([day, reason, rows]) => ({ day, source: 'dq_daily', reason, rows }));
    expect(want.length).toBeGreaterThan(0);
    expect(dq.counts.filter((c) => c.source === 'dq_daily')).toEqual(want);
  });
});
