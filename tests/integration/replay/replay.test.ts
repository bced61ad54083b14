import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplayOptions, type ReplayProgress } from '../../../pipeline/contract';
import { withLakeDb } from '../../../pipeline/lake/duckdb';
import { CheckpointStore } from '../../../pipeline/replay/run/checkpoint';
import { ReplayProducer } from '../../../pipeline/replay/run/replay-producer';
import type { Clock } from '../../../pipeline/replay/run/pacer';
import { ReplayRun } from '../../../pipeline/replay/run/replay-run';
import { startTestBroker, type TestBroker } from '../../helpers/broker';
import { tempDir } from '../../helpers/temp';
import { repoRoot } from '../../helpers/workbench';

const SAMPLE = join(repoRoot, 'resources', 'rees46-2019-oct-head1000.csv');
let t: TestBroker & { remove: () => Promise<void> };
let dir: { path: string; remove: () => Promise<void> };
let kafka: Kafka;

beforeAll(async () => {
  t = await startTestBroker();
  dir = await tempDir('clickpulse-replay-');
  kafka = new Kafka({ brokers: [t.bootstrap], logLevel: logLevel.NOTHING });
});
afterAll(async () => {
  await t.remove();
  await dir.remove();
});

/** A clock whose sleeps pass instantly: pacing is checked on virtual time, not wall time. */
function virtualClock(): Clock & { slept: number } {
  let now = 0;
  const clock = {
    slept: 0,
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
      clock.slept += ms;
      await new Promise((r) => setImmediate(r));
    },
  };
  return clock;
}

function replay(
  options: Partial<ReplayOptions> & { path: string },
  clock?: Clock,
  progress: ReplayProgress[] = [],
): ReplayRun {
  return new ReplayRun(
    ReplayOptions.parse(options),
    { bootstrap: t.bootstrap },
    {
      clock: clock ?? { now: () => performance.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
      checkpoints: new CheckpointStore(join(dir.path, 'checkpoints')),
      openProducer: (target, topic, partitions, settings) =>
        ReplayProducer.open(target, topic, partitions, settings),
      onProgress: (p) => progress.push(p),
    },
  );
}

interface Received {
  key: string | null;
  value: Record<string, unknown>;
  row: number;
  partition: number;
  headers: Record<string, string>;
}

async function readTopic(topic: string, expected: number): Promise<Received[]> {
  const consumer = kafka.consumer({ groupId: `read-${Math.random()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const out: Received[] = [];
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      const headers = Object.fromEntries(
        Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
      );
      out.push({
        key: message.key?.toString() ?? null,
        value: JSON.parse(message.value?.toString() ?? 'null') as Record<string, unknown>,
        row: Number(headers['clickpulse.row'] ?? headers['clickpulse.line']),
        partition,
        headers,
      });
    },
  });
  const end = Date.now() + 20_000;
  while (out.length < expected && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));
  await consumer.disconnect();
  return out;
}

describe('replay onto the embedded broker', () => {
  it('puts the 1000 sample rows on the topic, keyed by user_id, normalized, in event-time order per key', async () => {
    const progress: ReplayProgress[] = [];
    const done = await replay({ path: SAMPLE, topic: 'sample' }, undefined, progress).finished;
    expect(done).toMatchObject({ state: 'completed', rowsSent: 1000, rowsRejected: 0, error: null });
    expect(done.bytesRead).toBe(done.totalBytes);
    expect(progress.map((p) => p.state)).toEqual(expect.arrayContaining(['running', 'completed']));
    expect(done.currentEventTime).toBe('2019-10-01T00:17:26.000Z');
    const got = await readTopic('sample', 1000);
    expect(got).toHaveLength(1000);
    // The expected events, from an independent DuckDB read of the same file.
    const expected = await withLakeDb(async (db) =>
      (
        await db.runAndReadAll(`SELECT event_time, event_type, product_id, category_id, category_code, brand, price, user_id, user_session
          FROM read_csv('${SAMPLE}', all_varchar = true)`)
      ).getRowsJS(),
    );
    const byRow = new Map(got.map((m) => [m.row, m]));
    expected.forEach(([time, type, product, category, code, brand, price, user, session], i) => {
      const m = byRow.get(i + 1);
      expect(m?.key).toBe(user);
      expect(m?.value).toEqual({
        event_time: `${String(time).replace(' UTC', '').replace(' ', 'T')}.000Z`,
        event_type: type,
        product_id: product,
        category_id: category, // e.g. "2053013555631882655": exact, never a JS number
        category_code: code ?? null,
        brand: brand ?? null,
        price: Number(price),
        user_id: user,
        user_session: session,
        order_id: null,
      });
    });
    expect(got.find((m) => m.value.category_id === '2053013555631882655')).toBeDefined();
    const lastTimeByKey = new Map<string, string>();
    for (const m of got.sort((a, b) => a.row - b.row)) {
      const time = String(m.value.event_time);
      expect(time >= (lastTimeByKey.get(m.key ?? '') ?? '')).toBe(true);
      lastTimeByKey.set(m.key ?? '', time);
    }
    expect(new Set(got.map((m) => m.headers['clickpulse.source'])).size).toBe(1);
  });

  it('paces event time at ×60: 1046 s of events take 17.4 s (on a controllable clock)', async () => {
    const clock = virtualClock();
    const done = await replay({ path: SAMPLE, topic: 'paced', speed: 60 }, clock).finished;
    expect(done.rowsSent).toBe(1000);
    expect(clock.now() / 1000).toBeCloseTo(1046 / 60, 0);
    const rated = virtualClock();
    await replay({ path: SAMPLE, topic: 'rated', rate: 100, limit: 500 }, rated).finished;
    expect(rated.now() / 1000).toBeCloseTo(4.99, 1);
  });

  it('resumes a stopped replay where it left off: 1000 distinct rows, none twice', async () => {
    const first = replay({ path: SAMPLE, topic: 'resumed', rate: 2000 });
    while (first.progress().rowsRead < 400) await new Promise((r) => setTimeout(r, 10));
    const stopped = await first.stop();
    expect(stopped.state).toBe('stopped');
    expect(stopped.rowsSent).toBeLessThan(1000);
    const second = await replay({ path: SAMPLE, topic: 'resumed' }).finished;
    expect(second.resumedFrom).toBe(stopped.rowsSent);
    expect(second.state).toBe('completed');
    const got = await readTopic('resumed', 1000);
    const rows = got.map((m) => m.row);
    expect(new Set(rows).size).toBe(1000);
    expect(rows).toHaveLength(1000);
  });

  it('sends rows that are not events to the DLQ with their reason, and everything else to the topic', async () => {
    const bad = join(dir.path, 'bad rows.csv');
    writeFileSync(
      bad,
      Buffer.concat([
        Buffer.from(
          'event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n' +
            '2019-10-01 00:00:00 UTC,view,1,2053013555631882655,,b,1.00,10,s1\n' +
            '2019-10-01 00:00:01 UTC,view,2,3,,b,abc,11,s2\n' +
            '2019-10-01 00:00:02 UTC,view,2,3\n' +
            'yesterday,view,3,4,,b,1,12,s3\n' +
            '2019-10-01 00:00:03 UTC,view,4,5,,',
        ),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(
          ',2,13,s4\n2019-10-01 00:00:04 UTC,cart,5,6,,b,3,,s5\n2019-10-01 00:00:05 UTC,cart,5,6,,b,3,15,s6\n',
        ),
      ]),
    );
    const done = await replay({ path: bad, topic: 'mixed' }).finished;
    expect(done.error).toBeNull();
    expect(done).toMatchObject({ state: 'completed', rowsSent: 2, rowsRejected: 5 });
    expect(done.rejectReasons.map((r) => r.reason).sort()).toEqual([
      'INVALID ENCODING',
      'MISSING COLUMNS',
      'event_time is not a timestamp',
      'price is not a number',
      'user_id is missing',
    ]);
    const dlq = await readTopic('clickpulse_events_dlq', 5);
    const reasons = dlq.filter((m) => String(m.headers['clickpulse.source']).startsWith('bad rows.csv@'));
    expect(reasons.map((m) => String(m.value.reason)).sort()).toEqual([
      'INVALID ENCODING: Invalid unicode (byte sequence mismatch) detected. This file is not utf-8 encoded.',
      'MISSING COLUMNS: Expected Number of Columns: 9 Found: 4',
      'event_time is not a timestamp: yesterday',
      'price is not a number: abc',
      'user_id is missing',
    ]);
    expect(reasons.find((m) => m.value.reason === 'price is not a number: abc')?.value.raw).toContain(
      '"price":"abc"',
    );
    const good = await readTopic('mixed', 2);
    expect(good.map((m) => m.value.user_id).sort()).toEqual(['10', '15']);
  });

  it('replays a click log with a custom mapping: epoch times (s and ms) become UTC ISO, ids stay text', async () => {
    const clicks = join(dir.path, 'clicks.csv');
    writeFileSync(
      clicks,
      'visitor,sid,page,action,ts\n' +
        '9007199254740993,s-1,home,page_view,1569888000\n' +
        '9007199254740993,s-1,electronics.phone,addtocart,1569888061500\n',
    );
    const mapping = {
      event_time: 'ts',
      event_type: 'action',
      user_id: 'visitor',
      user_session: 'sid',
      category_code: 'page',
    };
    const done = await replay({ path: clicks, topic: 'clicks', mapping }).finished;
    expect(done).toMatchObject({ state: 'completed', rowsSent: 2, rowsRejected: 0 });
    const got = (await readTopic('clicks', 2)).sort((a, b) => a.row - b.row);
    expect(got.map((m) => [m.key, m.value.event_time, m.value.event_type, m.value.category_code])).toEqual([
      ['9007199254740993', '2019-10-01T00:00:00.000Z', 'page_view', 'home'],
      ['9007199254740993', '2019-10-01T00:01:01.500Z', 'addtocart', 'electronics.phone'],
    ]);
    expect(got[0]?.value.user_id).toBe('9007199254740993'); // beyond 2^53: a JS number would say ...992
  });

  it('refuses file-level problems with a specific message', async () => {
    const folder = join(dir.path, 'a folder');
    mkdirSync(folder);
    const empty = join(dir.path, 'empty.csv');
    writeFileSync(empty, '');
    const noUser = join(dir.path, 'no-user.csv');
    writeFileSync(noUser, 'event_time,event_type,price\n2019-10-01 00:00:00 UTC,view,1\n');
    const failure = async (path: string): Promise<string> =>
      ((await replay({ path, topic: 'never' }).finished) as ReplayProgress).error ?? '';
    expect(await failure(join(dir.path, 'missing.csv'))).toMatch(/missing.csv does not exist/);
    expect(await failure(folder)).toMatch(/is a folder/);
    expect(await failure(empty)).toMatch(/is empty/);
    expect(await failure(noUser)).toMatch(/Map a column to user_id before replaying/);
    const binary = join(dir.path, 'image.csv');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x0d, 0x0a]));
    expect(await failure(binary)).toMatch(/looks binary/);
  });
});
