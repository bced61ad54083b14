import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Fetch } from '../../../pipeline/broker/protocol/messages/fetch';
import { startTestBroker, type TestBroker } from '../../helpers/broker';
import { run } from '../../helpers/exec';
import { kafkaCall } from '../../helpers/kafka-call';
import { RawKafka } from '../../helpers/raw-kafka';

// kafkajs 2.2.4's admin client: CreatePartitions, DeleteRecords, DeleteGroups and AlterConfigs (v0/v1),
// with what each does to the log checked after a restart of the broker, and by kcat (librdkafka 2.0.2).
let t: TestBroker & { remove: () => Promise<void> };
let admin: Admin;
const kafka = () =>
  new Kafka({
    clientId: 'admin-test',
    brokers: [t.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 2 },
  });

beforeAll(async () => {
  // Tiny segments, so a few dozen small batches span several segments.
  t = await startTestBroker({ segmentBytes: 512 });
});
afterAll(async () => t.remove());
afterEach(async () => admin?.disconnect());

const kcat = (args: string[]) => run('kcat', ['-b', t.bootstrap, ...args]);

async function connectAdmin(): Promise<Admin> {
  admin = kafka().admin();
  await admin.connect();
  return admin;
}

async function produce(topic: string, batches: number, perBatch: number, partition = 0): Promise<void> {
  const producer = kafka().producer();
  await producer.connect();
  try {
    for (let b = 0; b < batches; b++) {
      const messages = Array.from({ length: perBatch }, (_, i) => ({ partition, value: `m-${b}-${i}` }));
      await producer.send({ topic, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Fetch v4 of one partition at an offset: its error code and the first offset served. */
async function fetchAt(topic: string, partition: number, offset: number) {
  const raw = await RawKafka.open(t.port);
  try {
    const res = await kafkaCall(raw, Fetch, 4, {
      ...Fetch.request.zero,
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      topics: [
        {
          topic,
          partitions: [
            {
              partition,
              fetchOffset: offset,
              logStartOffset: -1,
              partitionMaxBytes: 1 << 20,
              currentLeaderEpoch: -1,
            },
          ],
        },
      ],
    } as never);
    const p = (res as { responses: { partitions: { errorCode: number; records: Buffer | null }[] }[] })
      .responses[0]?.partitions[0];
    return {
      errorCode: p?.errorCode,
      firstOffset: p?.records && p.records.length > 8 ? Number(p.records.readBigInt64BE(0)) : null,
    };
  } finally {
    raw.close();
  }
}

const errorOf = async (p: Promise<unknown>): Promise<Record<string, unknown>> => {
  try {
    await p;
  } catch (e) {
    return e as Record<string, unknown>;
  }
  throw new Error('expected the call to be refused');
};

describe('admin APIs through kafkajs', () => {
  it('adds partitions that take messages and survive a restart; refuses shrinking and unknown topics', async () => {
    const a = await connectAdmin();
    await a.createTopics({ topics: [{ topic: 'grow', numPartitions: 2 }] });
    await a.createPartitions({ topicPartitions: [{ topic: 'grow', count: 5 }] });
    expect((await a.fetchTopicMetadata({ topics: ['grow'] })).topics[0]?.partitions).toHaveLength(5);
    await produce('grow', 1, 3, 4);

    const shrink = await errorOf(a.createPartitions({ topicPartitions: [{ topic: 'grow', count: 3 }] }));
    expect(shrink.type).toBe('INVALID_PARTITIONS');
    const same = await errorOf(a.createPartitions({ topicPartitions: [{ topic: 'grow', count: 5 }] }));
    expect(same.type).toBe('INVALID_PARTITIONS');
    const unknown = await errorOf(a.createPartitions({ topicPartitions: [{ topic: 'nope', count: 3 }] }));
    expect(unknown.type).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    await a.disconnect();

    await t.restart();
    const b = await connectAdmin();
    expect((await b.fetchTopicMetadata({ topics: ['grow'] })).topics[0]?.partitions).toHaveLength(5);
    const offsets = await b.fetchTopicOffsets('grow');
    expect(offsets.find((o) => o.partition === 4)?.high).toBe('3');
    const listed = await kcat(['-L', '-t', 'grow']);
    expect(listed.stdout).toContain('topic "grow" with 5 partitions');
    const consumed = await kcat(['-C', '-t', 'grow', '-p', '4', '-o', 'beginning', '-e', '-f', '%s\n']);
    expect(consumed.stdout.trim().split('\n')).toEqual(['m-0-0', 'm-0-1', 'm-0-2']);
  }, 60_000);

  it('deletes records before an offset: the start moves, old segments go, and it holds after a restart', async () => {
    const a = await connectAdmin();
    await a.createTopics({ topics: [{ topic: 'trim', numPartitions: 1 }] });
    await produce('trim', 20, 5);
    const before = t.broker.topics().find((x) => x.name === 'trim')?.partitions[0];
    expect(before?.segments).toBeGreaterThan(3);

    await a.fetchTopicMetadata({ topics: ['trim'] }); // kafkajs finds the leader only in loaded metadata
    await a.deleteTopicRecords({ topic: 'trim', partitions: [{ partition: 0, offset: '62' }] });
    const after = t.broker.topics().find((x) => x.name === 'trim')?.partitions[0];
    expect(after?.logStartOffset).toBe(62);
    expect(after?.segments).toBeLessThan(before?.segments ?? 0);
    expect((await a.fetchTopicOffsets('trim'))[0]).toMatchObject({ low: '62', high: '100' });
    expect(await fetchAt('trim', 0, 10)).toMatchObject({ errorCode: 1 }); // OFFSET_OUT_OF_RANGE
    // The batch holding 62 starts at 60; the consumer skips the two below the start, as with Kafka.
    expect(await fetchAt('trim', 0, 62)).toMatchObject({ errorCode: 0, firstOffset: 60 });

    const beyond = await errorOf(
      a.deleteTopicRecords({ topic: 'trim', partitions: [{ partition: 0, offset: '500' }] }),
    );
    const refused = (beyond.cause as { partitions: { error: { type: string } }[] }).partitions[0];
    expect(refused?.error.type).toBe('OFFSET_OUT_OF_RANGE');
    expect(t.broker.topics().find((x) => x.name === 'trim')?.partitions[0]?.logStartOffset).toBe(62);
    await a.disconnect();

    await t.restart();
    const b = await connectAdmin();
    expect((await b.fetchTopicOffsets('trim'))[0]).toMatchObject({ low: '62', high: '100' });
    expect(await fetchAt('trim', 0, 61)).toMatchObject({ errorCode: 1 });
    // librdkafka starts "beginning" at the new start and skips the two records below it in the first batch.
    const fromStart = await kcat(['-C', '-t', 'trim', '-o', 'beginning', '-e', '-f', '%o\n']);
    const seen = fromStart.stdout.trim().split('\n').map(Number);
    expect(seen[0]).toBe(62);
    expect(seen).toHaveLength(38);
    // -1: everything up to the high watermark.
    await b.fetchTopicMetadata({ topics: ['trim'] });
    await b.deleteTopicRecords({ topic: 'trim', partitions: [{ partition: 0, offset: '-1' }] });
    expect((await b.fetchTopicOffsets('trim'))[0]).toMatchObject({ low: '100', high: '100' });
    expect(t.broker.topics().find((x) => x.name === 'trim')?.partitions[0]?.segments).toBe(1);
  }, 60_000);

  it('deletes an idle group with its offsets, refuses one with members and an unknown one', async () => {
    const a = await connectAdmin();
    await a.createTopics({ topics: [{ topic: 'grp', numPartitions: 1 }] });
    await produce('grp', 1, 3);
    const consumer = kafka().consumer({ groupId: 'busy', sessionTimeout: 6000, heartbeatInterval: 300 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'grp', fromBeginning: true });
    let got = 0;
    await consumer.run({ eachMessage: async () => void got++ });
    try {
      while (got < 3) await new Promise((r) => setTimeout(r, 50));
      await a.setOffsets({ groupId: 'idle', topic: 'grp', partitions: [{ partition: 0, offset: '2' }] });
      const busy = await errorOf(a.deleteGroups(['busy']));
      expect(JSON.stringify(busy.groups ?? busy)).toMatch(/NON_EMPTY_GROUP|not empty/i);
    } finally {
      await consumer.disconnect();
    }
    const unknown = await errorOf(a.deleteGroups(['never-was']));
    expect(JSON.stringify(unknown.groups ?? unknown)).toMatch(/GROUP_ID_NOT_FOUND|does not exist/i);
    expect(await a.deleteGroups(['idle', 'busy'])).toEqual([
      expect.objectContaining({ groupId: 'idle', errorCode: 0 }),
      expect.objectContaining({ groupId: 'busy', errorCode: 0 }),
    ]);
    expect((await a.listGroups()).groups.map((g) => g.groupId)).not.toContain('idle');
    await a.disconnect();
    await t.restart();
    const b = await connectAdmin();
    expect((await b.listGroups()).groups.map((g) => g.groupId)).toEqual(
      expect.not.arrayContaining(['idle', 'busy']),
    );
  }, 60_000);

  it('alters topic configs: shown by DescribeConfigs, applied by retention, kept after a restart; bad ones refused', async () => {
    const a = await connectAdmin();
    await a.createTopics({ topics: [{ topic: 'conf', numPartitions: 1 }] });
    await produce('conf', 20, 5);
    const describe = async (x: Admin) =>
      Object.fromEntries(
        (
          await x.describeConfigs({ resources: [{ type: 2, name: 'conf' }], includeSynonyms: false })
        ).resources[0]?.configEntries.map((e) => [e.configName, e.configValue]) ?? [],
      );
    await a.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: 2,
          name: 'conf',
          configEntries: [
            { name: 'retention.bytes', value: '1200' },
            { name: 'retention.ms', value: '86400000' },
          ],
        },
      ],
    });
    expect(await describe(a)).toMatchObject({ 'retention.bytes': '1200', 'retention.ms': '86400000' });
    expect(t.broker.applyRetention()).toBeGreaterThan(0);
    const p = t.broker.topics().find((x) => x.name === 'conf')?.partitions[0];
    expect(p?.sizeBytes).toBeLessThanOrEqual(1200 + 512);
    expect(p?.sizeBytes).toBeGreaterThanOrEqual(1200);
    expect(p?.logStartOffset).toBeGreaterThan(0);

    const compact = await errorOf(
      a.alterConfigs({
        validateOnly: false,
        resources: [{ type: 2, name: 'conf', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
      }),
    );
    // kafkajs shows the error code's text only; the broker's own message is checked in admin-flexible.test.ts.
    expect(compact.type).toBe('INVALID_CONFIG');
    const bad = await errorOf(
      a.alterConfigs({
        validateOnly: false,
        resources: [{ type: 2, name: 'conf', configEntries: [{ name: 'retention.ms', value: 'a week' }] }],
      }),
    );
    expect(bad.type).toBe('INVALID_CONFIG');
    const unknown = await errorOf(
      a.alterConfigs({
        validateOnly: false,
        resources: [
          { type: 2, name: 'conf', configEntries: [{ name: 'max.compaction.lag.ms', value: '1' }] },
        ],
      }),
    );
    expect(unknown.type).toBe('INVALID_CONFIG');
    // A refused change leaves what was set.
    expect(await describe(a)).toMatchObject({ 'retention.bytes': '1200', 'retention.ms': '86400000' });
    await a.disconnect();

    await t.restart();
    const b = await connectAdmin();
    expect(await describe(b)).toMatchObject({ 'retention.bytes': '1200', 'retention.ms': '86400000' });
    // AlterConfigs replaces the whole set: what is not given returns to the broker default.
    await b.alterConfigs({
      validateOnly: false,
      resources: [{ type: 2, name: 'conf', configEntries: [{ name: 'segment.ms', value: '3600000' }] }],
    });
    expect(await describe(b)).toMatchObject({
      'retention.bytes': String(1024 ** 3),
      'segment.ms': '3600000',
    });
  }, 60_000);
});
