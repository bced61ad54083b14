import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamOptions } from '../../../pipeline/contract';
import { lakePaths } from '../../../pipeline/lake/layout';
import { LakeStream } from '../../../pipeline/stream/lake-stream';
import { startTestBroker } from '../../helpers/broker';
import { tempDir } from '../../helpers/temp';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const TOPIC = 'retained';
const MiB = 1024 * 1024;

/** Every Bronze file with its size and modification time, to prove none was rewritten. */
function bronzeFiles(lake: string): Map<string, string> {
  const dir = lakePaths(lake).bronzeTopic(TOPIC);
  const out = new Map<string, string>();
  for (const f of readdirSync(dir, { recursive: true }).map(String)) {
    if (!f.endsWith('.parquet')) continue;
    const s = statSync(join(dir, f));
    out.set(f, `${s.size}@${s.mtimeMs}`);
  }
  return out;
}

describe('Bronze across segment deletion by retention', () => {
  it('tells the messages retention deleted before Bronze read them, goes on from the earliest, rewrites nothing', async () => {
    const t = await startTestBroker({ retentionCheckMs: 200 });
    cleanups.push(t.remove);
    const dir = await tempDir('clickpulse-lake-retention-');
    cleanups.push(dir.remove);
    const lake = join(dir.path, 'lake');
    const kafka = new Kafka({
      brokers: [t.bootstrap],
      clientId: 'retention-test',
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    await admin.createTopics({
      topics: [
        {
          topic: TOPIC,
          numPartitions: 1,
          configEntries: [
            { name: 'segment.bytes', value: String(MiB) },
            { name: 'retention.bytes', value: String(MiB) },
          ],
        },
      ],
    });
    const producer = kafka.producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    // Real events (Silver takes them in), each about 1 KB with a long brand.
    const value = (i: number) =>
      JSON.stringify({
        event_time: new Date(Date.UTC(2019, 9, 1) + i * 1000).toISOString(),
        event_type: 'view',
        product_id: String(1000 + (i % 50)),
        category_id: '2053013552032098742',
        category_code: null,
        brand: `b${'x'.repeat(800)}`,
        price: 19.5,
        user_id: String(500 + (i % 20)),
        user_session: `s${i % 20}`,
        order_id: null,
      });
    const produce = async (from: number, count: number) => {
      for (let i = from; i < from + count; i += 500) {
        const n = Math.min(500, from + count - i);
        await producer.send({
          topic: TOPIC,
          messages: Array.from({ length: n }, (_, j) => ({ value: value(i + j) })),
        });
      }
    };
    const open = () => {
      const stream = new LakeStream(
        lake,
        StreamOptions.parse({ topic: TOPIC }),
        { bootstrap: t.bootstrap },
        () => undefined,
      );
      cleanups.push(() => stream.stop().then(() => undefined));
      return stream;
    };
    const high = async () => Number((await admin.fetchTopicOffsets(TOPIC))[0]?.high);
    const low = async () => Number((await admin.fetchTopicOffsets(TOPIC))[0]?.low);

    // Bronze takes in the first 300 messages, then the consumer is stopped.
    await produce(0, 300);
    const first = open();
    await first.start();
    await first.caughtUp(new Map([[0, 300]]));
    await first.stop();
    const before = bronzeFiles(lake);

    // Meanwhile ~4 MiB arrive and retention (1 MiB) deletes the oldest segments, unread ones included.
    await produce(300, 4000);
    const deadline = Date.now() + 30_000;
    while ((await low()) <= 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const start = await low();
    expect(start).toBeGreaterThan(300);

    const second = open();
    await second.start();
    const end = await high();
    await second.caughtUp(new Map([[0, end]]));
    const status = second.current();
    await second.stop();

    expect(status).toMatchObject({ state: 'running', lastError: null });
    // Files written before the gap are untouched.
    const after = bronzeFiles(lake);
    for (const [f, stamp] of before) expect(after.get(f)).toBe(stamp);
    const duck = await DuckDBInstance.create(':memory:');
    const db = await duck.connect();
    try {
      const bronze = `read_parquet('${join(lakePaths(lake).bronzeTopic(TOPIC), '**', '*.parquet')}')`;
      // Retention may go on deleting after `start` was read: where Bronze resumed is the truth.
      const resumed = Number(
        (
          await db.runAndReadAll(`SELECT min("offset") FROM ${bronze} WHERE "offset" >= 300`)
        ).getRowsJS()[0]?.[0],
      );
      expect(resumed).toBeGreaterThanOrEqual(start);
      expect(status.lostMessages).toBe(resumed - 300);
      expect(status.warnings.join('\n')).toContain(
        `offsets 300–${resumed - 1} (${resumed - 300} messages) were deleted by the topic's retention`,
      );
      // Bronze holds 0–299 and resumed–end, each once, and nothing in between.
      const rows = (
        await db.runAndReadAll(
          `SELECT count(*), count(DISTINCT "offset"), min("offset"), max("offset"),
             count(*) FILTER (WHERE "offset" BETWEEN 300 AND ${resumed - 1})
           FROM ${bronze}`,
        )
      ).getRowsJS()[0];
      const expected = 300 + (end - resumed);
      expect(rows?.map(Number)).toEqual([expected, expected, 0, end - 1, 0]);
    } finally {
      db.closeSync();
      duck.closeSync();
    }
  }, 120_000);
});
