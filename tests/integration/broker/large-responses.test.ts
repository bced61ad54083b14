import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctxFor } from '../../../pipeline/broker/protocol/frame';
import { ListOffsets } from '../../../pipeline/broker/protocol/messages/list-offsets';
import { Metadata } from '../../../pipeline/broker/protocol/messages/metadata';
import { Reader } from '../../../pipeline/broker/protocol/reader';
import { Writer } from '../../../pipeline/broker/protocol/writer';
import type { Type } from '../../../pipeline/broker/protocol/types';
import { startTestBroker, type TestBroker } from '../../helpers/broker';
import { run } from '../../helpers/exec';
import { RawKafka } from '../../helpers/raw-kafka';

/**
 * Responses far over 4 KiB — the size at which the response Writer used to corrupt frames — read by
 * every real client we have: one topic of 1,000 partitions and 500 more topics, so Metadata, ListOffsets,
 * Produce, Fetch and OffsetFetch answers run to tens or hundreds of kilobytes.
 */
const WIDE = 'wide';
const WIDE_PARTITIONS = 1000;
const MANY = 500;
const manyName = (i: number): string => `many-${String(i).padStart(3, '0')}`;

let t: TestBroker & { remove: () => Promise<void> };
let kafka: Kafka;

beforeAll(async () => {
  t = await startTestBroker();
  kafka = new Kafka({ clientId: 'large', brokers: [t.bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [
        { topic: WIDE, numPartitions: WIDE_PARTITIONS },
        ...Array.from({ length: MANY }, (_, i) => ({ topic: manyName(i), numPartitions: 2 })),
      ],
    });
  } finally {
    await admin.disconnect();
  }
}, 120_000);
afterAll(async () => t?.remove());

function encode<T>(type: Type<T>, value: T, version: number, api: Parameters<typeof ctxFor>[0]): Buffer {
  const w = new Writer();
  type.write(w, value, ctxFor(api, version));
  return w.toBuffer();
}

describe('responses larger than 4 KiB', () => {
  it('answers raw Metadata requests for every topic exactly, with the right correlation id, at v0, v1 and v4', async () => {
    const raw = await RawKafka.open(t.port);
    try {
      for (const [version, correlationId] of [
        [0, 4095],
        [1, 77],
        [4, 1_000_003],
      ] as const) {
        const body = encode(
          Metadata.request,
          { ...Metadata.request.zero, topics: version === 0 ? [] : null, allowAutoTopicCreation: false },
          version,
          Metadata,
        );
        const frame = await raw.request(Metadata.key, version, body, correlationId);
        expect(frame, `Metadata v${version}`).not.toBeNull();
        const r = new Reader(frame as Buffer);
        expect(r.int32(), `correlation id of Metadata v${version}`).toBe(correlationId);
        const res = Metadata.response.read(r, ctxFor(Metadata, version));
        expect(r.remaining).toBe(0);
        expect((frame as Buffer).length).toBeGreaterThan(12 * 4096);
        expect(res.brokers).toEqual([
          expect.objectContaining({ nodeId: 0, host: '127.0.0.1', port: t.port }),
        ]);
        const names = res.topics.map((x) => x.name ?? '').sort();
        expect(names).toEqual([WIDE, ...Array.from({ length: MANY }, (_, i) => manyName(i))].sort());
        for (const topic of res.topics) {
          const count = topic.name === WIDE ? WIDE_PARTITIONS : 2;
          expect(topic.errorCode, topic.name ?? undefined).toBe(0);
          expect(topic.partitions.map((p) => p.partitionIndex).sort((a, b) => a - b)).toEqual(
            Array.from({ length: count }, (_, i) => i),
          );
          for (const p of topic.partitions) {
            expect(
              [p.errorCode, p.leaderId, p.replicaNodes, p.isrNodes],
              `${topic.name}/${p.partitionIndex}`,
            ).toEqual([0, 0, [0], [0]]);
          }
        }
      }
      // Back to back, several large answers must come out whole and in order.
      const ids = [11, 12, 13, 14];
      for (const id of ids) {
        raw.write(
          RawKafka.frame(
            ListOffsets.key,
            1,
            id,
            encode(
              ListOffsets.request,
              {
                ...ListOffsets.request.zero,
                replicaId: -1,
                topics: [
                  {
                    name: WIDE,
                    partitions: Array.from({ length: WIDE_PARTITIONS }, (_, i) => ({
                      ...(ListOffsets.request.zero.topics[0] ?? {}),
                      partitionIndex: i,
                      currentLeaderEpoch: -1,
                      timestamp: -1,
                      maxNumOffsets: 1,
                    })),
                  },
                ],
              } as never,
              1,
              ListOffsets,
            ),
          ),
        );
      }
      for (const id of ids) {
        const frame = (await raw.next()) as Buffer;
        const r = new Reader(frame);
        expect(r.int32()).toBe(id);
        const res = ListOffsets.response.read(r, ctxFor(ListOffsets, 1)) as {
          topics: {
            name: string;
            partitions: { partitionIndex: number; errorCode: number; offset: number }[];
          }[];
        };
        expect(r.remaining).toBe(0);
        const parts = res.topics[0]?.partitions ?? [];
        expect(parts).toHaveLength(WIDE_PARTITIONS);
        for (const [i, p] of parts.entries())
          expect([p.partitionIndex, p.errorCode, p.offset]).toEqual([i, 0, 0]);
      }
    } finally {
      raw.close();
    }
  });

  it('kcat lists every partition with its leader and produces to and consumes from the last one', async () => {
    const kcat = (args: string[], input?: string) =>
      run('kcat', ['-b', t.bootstrap, ...args], { input, timeoutMs: 60_000 });
    const meta = await kcat(['-L', '-J']);
    expect(meta.code, meta.stderr).toBe(0);
    const parsed = JSON.parse(meta.stdout) as {
      topics: {
        topic: string;
        error?: string;
        partitions: { partition: number; leader: number; error?: string }[];
      }[];
    };
    expect(parsed.topics).toHaveLength(MANY + 1);
    const wide = parsed.topics.find((x) => x.topic === WIDE);
    expect(wide?.partitions.map((p) => p.partition).sort((a, b) => a - b)).toEqual(
      Array.from({ length: WIDE_PARTITIONS }, (_, i) => i),
    );
    for (const topic of parsed.topics) {
      expect(topic.error, topic.topic).toBeUndefined();
      for (const p of topic.partitions)
        expect([p.leader, p.error], `${topic.topic}/${p.partition}`).toEqual([0, undefined]);
    }
    const last = String(WIDE_PARTITIONS - 1);
    const lines = Array.from({ length: 50 }, (_, i) => `k${i}:v${i}`);
    const produced = await kcat(['-P', '-t', WIDE, '-p', last, '-K:'], `${lines.join('\n')}\n`);
    expect(produced.code, produced.stderr).toBe(0);
    const consumed = await kcat(['-C', '-t', WIDE, '-p', last, '-o', 'beginning', '-e', '-f', '%k:%s@%o\n']);
    expect(consumed.code, consumed.stderr).toBe(0);
    expect(consumed.stdout.trim().split('\n')).toEqual(lines.map((l, i) => `${l}@${i}`));
  });

  it('kafkajs reads all metadata, produces to every partition and reads back every offset and message', async () => {
    const admin = kafka.admin();
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: 'large-kafkajs', maxWaitTimeInMs: 200 });
    await Promise.all([admin.connect(), producer.connect()]);
    try {
      const all = await admin.fetchTopicMetadata();
      expect(all.topics).toHaveLength(MANY + 1);
      for (const topic of all.topics) {
        for (const p of topic.partitions)
          expect([p.partitionErrorCode, p.leader], topic.name).toEqual([0, 0]);
      }
      const start = new Map((await admin.fetchTopicOffsets(WIDE)).map((o) => [o.partition, Number(o.high)]));
      const at = (p: number): number => start.get(p) ?? 0;
      // Partition i gets i % 3 + 1 messages, so a shifted or swapped answer shows.
      const messages = Array.from({ length: WIDE_PARTITIONS }, (_, i) =>
        Array.from({ length: (i % 3) + 1 }, (_, j) => ({ partition: i, key: `p${i}`, value: `${i}:${j}` })),
      ).flat();
      const acks = await producer.send({ topic: WIDE, messages, acks: -1 });
      expect(acks).toHaveLength(WIDE_PARTITIONS);
      for (const a of acks)
        expect([a.errorCode, a.baseOffset], `ack ${a.partition}`).toEqual([0, String(at(a.partition))]);
      const offsets = await admin.fetchTopicOffsets(WIDE);
      expect(offsets).toHaveLength(WIDE_PARTITIONS);
      for (const o of offsets) {
        expect([o.low, o.high], `partition ${o.partition}`).toEqual([
          '0',
          String(at(o.partition) + (o.partition % 3) + 1),
        ]);
      }

      const total = messages.length + [...start.values()].reduce((a, b) => a + b, 0);
      await consumer.connect();
      await consumer.subscribe({ topic: WIDE, fromBeginning: true });
      const got = new Map<number, string[]>();
      let count = 0;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${count} of ${total} consumed`)), 90_000);
        void consumer.run({
          eachMessage: async ({ partition, message }) => {
            const list = got.get(partition) ?? [];
            list.push(
              `${message.key?.toString() ?? ''}=${message.value?.toString() ?? ''}@${message.offset}`,
            );
            got.set(partition, list);
            if (++count === total) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
      for (let i = 0; i < WIDE_PARTITIONS; i++) {
        expect(got.get(i)?.slice(at(i)), `partition ${i}`).toEqual(
          Array.from({ length: (i % 3) + 1 }, (_, j) => `p${i}=${i}:${j}@${at(i) + j}`),
        );
      }
      // OffsetFetch for 1,000 partitions: the committed offsets come back per partition.
      await consumer.stop();
      const committed = await admin.fetchOffsets({ groupId: 'large-kafkajs', topics: [WIDE] });
      const parts = committed[0]?.partitions ?? [];
      expect(parts).toHaveLength(WIDE_PARTITIONS);
      for (const p of parts)
        expect(p.offset, `committed ${p.partition}`).toBe(String(at(p.partition) + (p.partition % 3) + 1));
    } finally {
      await Promise.allSettled([consumer.disconnect(), producer.disconnect(), admin.disconnect()]);
    }
  }, 150_000);

  it('kafka-python lists every topic and partition and reads every end offset', async () => {
    const script = `
import json, sys
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient
boot = sys.argv[1]
admin = KafkaAdminClient(bootstrap_servers=boot)
topics = admin.describe_topics()
bad = [(t['topic'], p['partition']) for t in topics for p in t['partitions'] if p['error_code'] != 0 or p['leader'] != 0]
consumer = KafkaConsumer(bootstrap_servers=boot)
wide = sorted(consumer.partitions_for_topic('wide'))
producer = KafkaProducer(bootstrap_servers=boot, acks='all')
meta = producer.send('wide', key=b'py', value=b'last', partition=999).get(timeout=30)
ends = consumer.end_offsets([TopicPartition('wide', p) for p in wide])
print(json.dumps({
  'topics': len(topics), 'bad': bad, 'wide': [wide[0], wide[-1], len(wide)],
  'ends': {str(tp.partition): o for tp, o in ends.items()}, 'sent': [meta.partition, meta.offset],
}))
`;
    const before = await kafka.admin();
    await before.connect();
    let expected: Map<number, number>;
    try {
      const offs = await before.fetchTopicOffsets(WIDE);
      expected = new Map(offs.map((o) => [o.partition, Number(o.high)]));
    } finally {
      await before.disconnect();
    }
    const { code, stdout, stderr } = await run('/usr/bin/python3', ['-c', script, t.bootstrap], {
      timeoutMs: 90_000,
    });
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
      topics: number;
      bad: unknown[];
      wide: number[];
      ends: Record<string, number>;
      sent: [number, number];
    };
    expect(out.topics).toBe(MANY + 1);
    expect(out.bad).toEqual([]);
    expect(out.wide).toEqual([0, WIDE_PARTITIONS - 1, WIDE_PARTITIONS]);
    expect(out.sent).toEqual([WIDE_PARTITIONS - 1, expected.get(WIDE_PARTITIONS - 1)]);
    for (let p = 0; p < WIDE_PARTITIONS; p++) {
      expect(out.ends[String(p)], `end offset ${p}`).toBe(
        (expected.get(p) ?? 0) + (p === WIDE_PARTITIONS - 1 ? 1 : 0),
      );
    }
  }, 120_000);
});
