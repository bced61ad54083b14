import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { CompressionTypes, type Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaClient, ensureTopics } from '../../../pipeline/kafka';
import {
  LeanFetcher,
  type FetchedPartition,
  type LeanFetchOptions,
} from '../../../pipeline/kafka/lean-fetch';
import { decodeRecordBatches, type RecordView } from '../../../pipeline/kafka/record-decoder';
import { BronzeWriter } from '../../../pipeline/stream/bronze-writer';
import { startTestBroker, type TestBroker } from '../../helpers/broker';
import { run } from '../../helpers/exec';
import { tempDir } from '../../helpers/temp';

// The lean fetcher against the real broker, on batches written by librdkafka (kcat) and kafkajs: what it
// decodes must be what kafkajs' own consumer reads, record for record.
let t: TestBroker & { remove: () => Promise<void> };
let kafka: Kafka;
const open: LeanFetcher[] = [];

beforeAll(async () => {
  t = await startTestBroker();
  kafka = kafkaClient({ bootstrap: t.bootstrap }, 'lean-fetch-test');
}, 30_000);
afterAll(async () => {
  for (const f of open) await f.stop();
  await t?.remove();
});

interface Rec {
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
  headers: [string, string | null][];
}

function toRec(v: RecordView): Rec {
  const text = (s: number, e: number) => (s < 0 ? null : v.buf.toString('latin1', s, e));
  const headers: [string, string | null][] = [];
  for (let j = 0; j < v.headerCount; j++) {
    const h = v.headers;
    headers.push([text(h[j * 4] ?? 0, h[j * 4 + 1] ?? 0) ?? '', text(h[j * 4 + 2] ?? -1, h[j * 4 + 3] ?? 0)]);
  }
  return {
    offset: v.offset,
    timestamp: v.timestamp,
    key: text(v.keyStart, v.keyEnd),
    value: text(v.valueStart, v.valueEnd),
    headers,
  };
}

/** Fetches every partition of a topic from `startAt` until `until` records came, decoding each block. */
async function leanRead(
  topic: string,
  until: number,
  extra: Partial<LeanFetchOptions> = {},
): Promise<{ records: Rec[]; blocks: FetchedPartition[]; fetcher: LeanFetcher }> {
  const records: Rec[] = [];
  const blocks: FetchedPartition[] = [];
  let done: () => void = () => undefined;
  let failed: (e: Error) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    done = resolve;
    failed = reject;
  });
  const fetcher = await LeanFetcher.open({ bootstrap: t.bootstrap }, topic, {
    groupId: `g-${topic}`,
    startAt: () => 0,
    onFetch: (block) => {
      blocks.push(block);
      decodeRecordBatches(
        block.records,
        block.fetchOffset,
        { record: (v) => records.push(toRec(v)) },
        block.aborted,
      );
      if (records.length >= until) done();
    },
    onError: (e) => failed(e),
    maxWaitMs: 50,
    ...extra,
  });
  open.push(fetcher);
  fetcher.run();
  await finished;
  await fetcher.stop();
  return { records, blocks, fetcher };
}

async function kafkajsRead(topic: string, count: number): Promise<Rec[]> {
  const consumer = kafka.consumer({ groupId: `kafkajs-${topic}`, maxWaitTimeInMs: 50 });
  const out: Rec[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      void consumer.run({
        eachMessage: async ({ message: m }) => {
          out.push({
            offset: Number(m.offset),
            timestamp: Number(m.timestamp),
            key: m.key ? m.key.toString('latin1') : null,
            value: m.value ? m.value.toString('latin1') : null,
            headers: Object.entries(m.headers ?? {}).map(([k, v]) => [
              k,
              v === undefined || v === null ? null : Buffer.from(v as Buffer).toString('latin1'),
            ]),
          });
          if (out.length >= count) resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return out.sort((a, b) => a.offset - b.offset);
}

async function kcatProduce(topic: string, codec: string, lines: string[]): Promise<void> {
  const out = await run(
    'kcat',
    [
      '-P',
      '-b',
      t.bootstrap,
      '-t',
      topic,
      '-p',
      '0',
      '-z',
      codec,
      '-K:',
      '-H',
      'src=kcat',
      '-H',
      `codec=${codec}`,
    ],
    { input: `${lines.join('\n')}\n` },
  );
  expect(out.code, out.stderr).toBe(0);
}

describe('the lean fetcher', () => {
  it('decodes batches from librdkafka (none, gzip, lz4) and kafkajs (gzip) exactly as kafkajs reads them', async () => {
    const topic = 'lf-codecs';
    await ensureTopics(kafka, [{ topic, partitions: 1 }]);
    const long = 'x'.repeat(300);
    for (const codec of ['none', 'gzip', 'lz4'])
      await kcatProduce(
        topic,
        codec,
        Array.from(
          { length: 40 },
          (_, i) => `k${i}:{"codec":"${codec}","i":${i},"pad":"${i % 3 ? '' : long}"}`,
        ),
      );
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic,
        compression: CompressionTypes.GZIP,
        messages: [
          { partition: 0, key: null, value: 'no key', headers: { a: '1', b: Buffer.from([0xc3, 0xa9]) } },
          { partition: 0, key: 'no value', value: null },
          { partition: 0, key: '', value: '', headers: {} },
          { partition: 0, key: 'é', value: long + long, timestamp: '1700000000123' },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    const total = 3 * 40 + 4;
    const lean = await leanRead(topic, total);
    expect(lean.records).toHaveLength(total);
    expect(lean.records).toEqual(await kafkajsRead(topic, total));
    expect(lean.records.at(-1)?.timestamp).toBe(1_700_000_000_123);
    expect(lean.blocks.at(-1)?.highWatermark).toBe(total);
  });

  it('starts where told (inside a batch), and commits to the group as a simple commit', async () => {
    const topic = 'lf-commit';
    await ensureTopics(kafka, [{ topic, partitions: 2 }]);
    await kcatProduce(
      topic,
      'lz4',
      Array.from({ length: 10 }, (_, i) => `k:${i}`),
    );
    const { records, fetcher } = await leanRead(topic, 5, { startAt: (p) => (p === 0 ? 5 : 0) });
    expect(records.map((r) => [r.offset, r.value])).toEqual([5, 6, 7, 8, 9].map((o) => [o, String(o)]));
    const again = await LeanFetcher.open({ bootstrap: t.bootstrap }, topic, {
      groupId: 'lf-group',
      startAt: () => 0,
      onFetch: () => undefined,
      onError: () => undefined,
    });
    open.push(again);
    expect(fetcher.partitions).toEqual([0, 1]);
    await again.commit(0, 10);
    await again.stop();
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId: 'lf-group', topics: [topic] });
      expect(offsets?.partitions.find((p) => p.partition === 0)?.offset).toBe('10');
    } finally {
      await admin.disconnect();
    }
  });

  it('goes on from the log start when what it was to read was deleted', async () => {
    const topic = 'lf-deleted';
    await ensureTopics(kafka, [{ topic, partitions: 1 }]);
    await kcatProduce(
      topic,
      'none',
      Array.from({ length: 10 }, (_, i) => `k:${i}`),
    );
    const admin = kafka.admin();
    await admin.connect();
    try {
      // kafkajs' deleteTopicRecords needs the topic's metadata loaded first.
      await admin.fetchTopicMetadata({ topics: [topic] });
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '7' }] });
    } finally {
      await admin.disconnect();
    }
    const { records, blocks } = await leanRead(topic, 3, { startAt: () => 2 });
    expect(records.map((r) => r.offset)).toEqual([7, 8, 9]);
    expect(blocks.find((b) => b.records.length > 0)?.logStartOffset).toBe(7);
  });

  it('reads partitions added while it runs, from where the caller says', async () => {
    const topic = 'lf-grow';
    await ensureTopics(kafka, [{ topic, partitions: 1 }]);
    const seen: [number, string | null][] = [];
    let wanted = 0;
    let reached: () => void = () => undefined;
    const waitFor = (n: number) =>
      new Promise<void>((resolve) => {
        wanted = n;
        reached = resolve;
        if (seen.length >= n) resolve();
      });
    // What the caller took in, as Bronze's manifest would say.
    const taken = new Map<number, number>();
    const fetcher = await LeanFetcher.open({ bootstrap: t.bootstrap }, topic, {
      groupId: `g-${topic}`,
      startAt: (p) => taken.get(p) ?? 0,
      onFetch: (block) => {
        decodeRecordBatches(block.records, block.fetchOffset, {
          record: (v) => {
            seen.push([block.partition, toRec(v).value]);
            taken.set(block.partition, v.offset + 1);
          },
        });
        if (seen.length >= wanted) reached();
      },
      onError: () => undefined,
      maxWaitMs: 50,
      metadataRefreshMs: 100,
    });
    open.push(fetcher);
    fetcher.run();
    await kcatProduce(topic, 'none', ['k:a']);
    await waitFor(1);
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] });
    } finally {
      await admin.disconnect();
    }
    const out = await run('kcat', ['-P', '-b', t.bootstrap, '-t', topic, '-p', '2', '-K:'], {
      input: 'k:c\n',
    });
    expect(out.code, out.stderr).toBe(0);
    await kcatProduce(topic, 'none', ['k:b']);
    await waitFor(3);
    await fetcher.stop();
    expect(fetcher.partitions).toEqual([0, 1, 2]);
    // Each record once: the restart went on from the caller's positions, not from the start again.
    expect(seen.sort()).toEqual([
      [0, 'a'],
      [0, 'b'],
      [2, 'c'],
    ]);
  });

  it('stops with a message naming the codec when a batch is compressed with one it cannot read', async () => {
    const topic = 'lf-zstd';
    await ensureTopics(kafka, [{ topic, partitions: 1 }]);
    await kcatProduce(topic, 'zstd', ['k:a', 'k:b']);
    await expect(leanRead(topic, 2, { retries: 0 })).rejects.toThrow(
      /compressed with zstd.*none, gzip and lz4/,
    );
  });
});

describe('Bronze taking fetched blocks whole', () => {
  it('keeps what the text framing cannot carry (newlines, separators, STX, control bytes in headers, not UTF-8) exactly', async () => {
    const topic = 'lf-bronze';
    await ensureTopics(kafka, [{ topic, partitions: 1 }]);
    const awkward: (Buffer | null)[] = [
      Buffer.from('{"plain":true}'),
      Buffer.from('line one\nline two'),
      Buffer.from([0x61, 0x1f, 0x62]),
      Buffer.from([0x02]),
      Buffer.alloc(0),
      null,
      Buffer.from(`{"long":"${'y'.repeat(200)}"}`),
    ];
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic,
        compression: CompressionTypes.GZIP,
        messages: awkward.map((value, i) => ({
          partition: 0,
          key: i === 5 ? null : `k${i}`,
          value,
          headers: { h: i === 2 ? 'x\ny' : 'v', row: String(i) },
          timestamp: String(1_700_000_000_000 + i),
        })),
      });
      // Not UTF-8: DuckDB refuses the text block, which is then rewritten hex-encoded.
      await producer.send({
        topic,
        messages: [{ partition: 0, key: 'k7', value: Buffer.from([0xff, 0xfe, 0x41]) }],
      });
    } finally {
      await producer.disconnect();
    }
    const dir = await tempDir('clickpulse-lean-bronze-');
    const writer = await BronzeWriter.open(dir.path, topic, { flushRows: 1000, flushMs: 60_000 });
    const duck = await DuckDBInstance.create(':memory:');
    const db = await duck.connect();
    try {
      const { blocks } = await leanRead(topic, awkward.length + 1);
      for (const b of blocks) writer.addRecords(b.partition, b.records, b.aborted);
      // A redelivery of everything: Bronze already holds it all, so nothing is taken twice.
      for (const b of blocks) expect(writer.addRecords(b.partition, b.records, b.aborted).added).toBe(0);
      await writer.flush(true);
      const rows = (
        await db.runAndReadAll(
          `SELECT "offset", "key", "value", map_entries(headers) AS headers, kafka_timestamp
           FROM read_parquet('${join(dir.path, 'bronze', topic, '**', '*.parquet')}') ORDER BY "offset"`,
        )
      ).getRowObjectsJS();
      expect(rows.map((r) => r.value)).toEqual([...awkward, Buffer.from([0xff, 0xfe, 0x41])]);
      expect(rows.map((r) => r.key)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', null, 'k6', 'k7']);
      expect(rows[2]?.headers).toEqual([
        { key: 'h', value: 'x\ny' },
        { key: 'row', value: '2' },
      ]);
      expect(rows[0]?.kafka_timestamp).toEqual(new Date(1_700_000_000_000));
      expect(writer.manifest.ranges().map((r) => [r.first, r.last, r.rows])).toEqual([[0, 7, 8]]);
    } finally {
      db.closeSync();
      duck.closeSync();
      await writer.close();
      await dir.remove();
    }
  });
});
