import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../helpers/broker';

let t: TestBroker & { remove: () => Promise<void> };
let kafka: Kafka;

beforeAll(async () => {
  t = await startTestBroker();
  kafka = new Kafka({
    clientId: 'kafkajs-test',
    brokers: [t.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 8 },
  });
});
afterAll(async () => t.remove());

const TOTAL = 100_000;

async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the embedded broker with kafkajs', () => {
  it('delivers 100k keyed messages exactly once, in partition order, through a group that grows and shrinks', async () => {
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.createTopics({ topics: [{ topic: 'clicks', numPartitions: 3 }] })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic: 'clicks', numPartitions: 3 }] })).toBe(false);
    const meta = await admin.fetchTopicMetadata({ topics: ['clicks'] });
    expect(meta.topics[0]?.partitions).toHaveLength(3);

    const seen = new Map<number, number>(); // seq → times delivered
    const order = new Map<number, number[]>(); // partition → offsets in delivery order
    const perKey = new Map<string, number>(); // key → last seq seen (per-key order)
    let outOfOrderKeys = 0;

    const startMember = async (name: string): Promise<Consumer> => {
      const consumer = kafka.consumer({
        groupId: 'clicks-group',
        heartbeatInterval: 300,
        sessionTimeout: 6000,
        rebalanceTimeout: 10_000,
        maxWaitTimeInMs: 200,
      });
      await consumer.connect();
      await consumer.subscribe({ topic: 'clicks', fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, isRunning, isStale, resolveOffset }) => {
          if (!isRunning() || isStale()) return;
          for (const m of batch.messages) {
            const seq = Number(JSON.parse(m.value?.toString() ?? '{}').seq);
            seen.set(seq, (seen.get(seq) ?? 0) + 1);
            const list = order.get(batch.partition) ?? [];
            list.push(Number(m.offset));
            order.set(batch.partition, list);
            const key = m.key?.toString() ?? '';
            if ((perKey.get(key) ?? -1) > seq) outOfOrderKeys++;
            perKey.set(key, seq);
          }
          resolveOffset(batch.lastOffset());
          // Committed before the next batch: a rebalance hands the partition over at exactly this point.
          await consumer.commitOffsets([
            {
              topic: batch.topic,
              partition: batch.partition,
              offset: String(Number(batch.lastOffset()) + 1),
            },
          ]);
        },
      });
      void name;
      return consumer;
    };

    const a = await startMember('a');
    const b = await startMember('b');

    const producer = kafka.producer();
    await producer.connect();
    const produce = (async () => {
      for (let start = 0; start < TOTAL; start += 2000) {
        await producer.send({
          topic: 'clicks',
          messages: Array.from({ length: 2000 }, (_, i) => ({
            key: `user-${(start + i) % 997}`,
            value: JSON.stringify({ seq: start + i, pad: 'x'.repeat(40) }),
          })),
        });
        if (start % 20_000 === 0) await new Promise((r) => setTimeout(r, 100));
      }
    })();

    await waitFor(() => seen.size > TOTAL * 0.2, 60_000, 'a fifth of the messages');
    const c = await startMember('c'); // joins mid-stream
    await waitFor(() => seen.size > TOTAL * 0.5, 60_000, 'half of the messages');
    await a.disconnect(); // leaves mid-stream
    await produce;
    await waitFor(() => seen.size === TOTAL, 90_000, 'every message');
    await new Promise((r) => setTimeout(r, 1000)); // anything delivered twice would show up now

    const twice = [...seen.values()].filter((n) => n > 1).length;
    expect(twice).toBe(0);
    expect(outOfOrderKeys).toBe(0);
    for (const offsets of order.values()) {
      for (let i = 1; i < offsets.length; i++) expect(offsets[i]).toBeGreaterThan(offsets[i - 1] as number);
    }
    expect([...order.keys()].sort()).toEqual([0, 1, 2]);

    // The group's committed offsets are the log ends: nothing left to consume.
    const offsets = await admin.fetchOffsets({ groupId: 'clicks-group', topics: ['clicks'] });
    const ends = await admin.fetchTopicOffsets('clicks');
    const committed = offsets[0]?.partitions.map((p) => [p.partition, p.offset]).sort();
    expect(committed).toEqual(ends.map((p) => [p.partition, p.high]).sort());
    expect(ends.reduce((n, p) => n + Number(p.high), 0)).toBe(TOTAL);

    const groups = t.broker.groups();
    expect(groups[0]?.totalLag).toBe(0);
    expect(groups[0]?.members).toHaveLength(2);

    await Promise.all([b.disconnect(), c.disconnect(), producer.disconnect()]);
    await admin.disconnect();
  });

  it('keeps an idempotent producer’s retried batch from landing twice', async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'idem', numPartitions: 1 }] });
    for (let i = 0; i < 5; i++) await producer.send({ topic: 'idem', messages: [{ value: `m${i}` }] });
    const ends = await admin.fetchTopicOffsets('idem');
    expect(ends[0]?.high).toBe('5');
    await producer.disconnect();
    await admin.disconnect();
  });

  it('answers ListOffsets by timestamp, DescribeConfigs and DeleteTopics', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: 'timed', numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '3600000' }] },
      ],
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'timed',
      messages: [
        { value: 'old', timestamp: '1000' },
        { value: 'new', timestamp: '5000' },
      ],
    });
    expect(await admin.fetchTopicOffsetsByTimestamp('timed', 2000)).toEqual([{ partition: 0, offset: '1' }]);
    expect(await admin.fetchTopicOffsetsByTimestamp('timed', 9000)).toEqual([{ partition: 0, offset: '2' }]);
    const configs = await admin.describeConfigs({
      resources: [{ type: 2, name: 'timed', configNames: ['retention.ms', 'cleanup.policy'] }],
      includeSynonyms: false,
    });
    const entries = configs.resources[0]?.configEntries.map((e) => [e.configName, e.configValue]);
    expect(entries).toEqual([
      ['retention.ms', '3600000'],
      ['cleanup.policy', 'delete'],
    ]);
    const refused = await admin
      .createTopics({ topics: [{ topic: 'bad', configEntries: [{ name: 'no.such.setting', value: '1' }] }] })
      .catch((e: { errors?: { type?: string; message?: string }[] }) => e.errors?.[0]);
    expect(refused).toMatchObject({ type: 'INVALID_CONFIG' });
    expect(await admin.listTopics()).not.toContain('bad');
    await admin.deleteTopics({ topics: ['timed'] });
    expect(await admin.listTopics()).not.toContain('timed');
    await producer.disconnect();
    await admin.disconnect();
  });
});
