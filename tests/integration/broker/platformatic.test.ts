import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../helpers/broker';

/**
 * @platformatic/kafka speaks only current, flexible versions (Metadata 9+, Fetch 12+, ListOffsets 5+,
 * FindCoordinator 4+, CreateTopics 7...): it connects only because the broker now advertises them.
 */
let t: TestBroker & { remove: () => Promise<void> };
const brokers = () => [t.bootstrap];

beforeAll(async () => {
  t = await startTestBroker({ autoCreateTopics: false });
});
afterAll(async () => t.remove());

describe('@platformatic/kafka against the embedded broker', () => {
  it('creates, lists, describes and deletes topics with the admin client', async () => {
    const admin = new Admin({ clientId: 'plat-admin', bootstrapBrokers: brokers() });
    try {
      await admin.createTopics({ topics: ['plat-a', 'plat-b'], partitions: 3, replicas: 1 });
      expect((await admin.listTopics()).filter((n) => n.startsWith('plat-')).sort()).toEqual([
        'plat-a',
        'plat-b',
      ]);
      const metadata = await admin.metadata({ topics: ['plat-a'] });
      const topic = metadata.topics.get('plat-a');
      expect(topic?.partitionsCount).toBe(3);
      // Topic ids (Metadata v10+) are real and stable.
      expect(topic?.id).toMatch(/^[0-9a-f-]{36}$|^[A-Za-z0-9_-]{22}$/);
      expect(topic?.id).not.toMatch(/^0{8}-|^A{22}$/);
      const [config] = await admin.describeConfigs({
        resources: [
          { resourceType: 2, resourceName: 'plat-a', configurationKeys: ['retention.ms', 'cleanup.policy'] },
        ],
        includeSynonyms: false,
        includeDocumentation: false,
      });
      expect(config?.configs.map((c) => c.name)).toEqual(['retention.ms', 'cleanup.policy']);
      await admin.deleteTopics({ topics: ['plat-a', 'plat-b'] });
      expect((await admin.listTopics()).filter((n) => n.startsWith('plat-'))).toEqual([]);
    } finally {
      await admin.close();
    }
  });

  it('produces 100k messages and consumes every one in a group of 2 that commits', async () => {
    const TOTAL = 100_000;
    const admin = new Admin({ clientId: 'plat-admin', bootstrapBrokers: brokers() });
    const producer = new Producer({
      clientId: 'plat-producer',
      bootstrapBrokers: brokers(),
      serializers: stringSerializers,
    });
    const consumers = [0, 1].map(
      (i) =>
        new Consumer({
          clientId: `plat-consumer-${i}`,
          groupId: 'plat-group',
          bootstrapBrokers: brokers(),
          deserializers: stringDeserializers,
          sessionTimeout: 10_000,
          heartbeatInterval: 500,
          maxWaitTime: 200,
        }),
    );
    try {
      await admin.createTopics({ topics: ['plat-load'], partitions: 4, replicas: 1 });
      for (let start = 0; start < TOTAL; start += 5000) {
        const messages = Array.from({ length: 5000 }, (_, j) => ({
          topic: 'plat-load',
          key: `k${start + j}`,
          value: `v${start + j}`,
          partition: (start + j) % 4,
        }));
        await producer.send({ messages });
      }
      const ends = await admin.listOffsets({
        topics: [
          { name: 'plat-load', partitions: [0, 1, 2, 3].map((p) => ({ partitionIndex: p, timestamp: -1n })) },
        ],
      });
      expect(ends[0]?.partitions.map((p) => Number(p.offset)).reduce((a, b) => a + b, 0)).toBe(TOTAL);

      const seen = new Map<string, number>();
      const perConsumer = [0, 0];
      const streams = await Promise.all(
        consumers.map((c) =>
          c.consume({
            topics: ['plat-load'],
            mode: 'committed',
            fallbackMode: 'earliest',
            autocommit: false,
          }),
        ),
      );
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${seen.size} of ${TOTAL} messages arrived`)),
          90_000,
        );
        streams.forEach((stream, i) => {
          stream.on('error', reject);
          stream.on('data', (message) => {
            perConsumer[i] = (perConsumer[i] ?? 0) + 1;
            seen.set(message.value, (seen.get(message.value) ?? 0) + 1);
            // Commit at the end of each partition's run and every 1,000 messages.
            if (Number(message.offset) % 1000 === 999 || Number(message.offset) === TOTAL / 4 - 1)
              void message.commit();
            if (seen.size === TOTAL) {
              clearTimeout(timer);
              resolve();
            }
          });
        });
      });
      expect(seen.size).toBe(TOTAL);
      expect(perConsumer.every((n) => n > 0)).toBe(true);
      // Wait for the last commits to land, then read them back as a fresh client would.
      const committedAll = async () => {
        const committed = await (consumers[0] as (typeof consumers)[number]).listCommittedOffsets({
          topics: [{ topic: 'plat-load', partitions: [0, 1, 2, 3] }],
        });
        return (committed.get('plat-load') ?? []).map(Number);
      };
      const until = Date.now() + 20_000;
      let committed = await committedAll();
      while (committed.some((o) => o !== TOTAL / 4) && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 200));
        committed = await committedAll();
      }
      expect(committed).toEqual([TOTAL / 4, TOTAL / 4, TOTAL / 4, TOTAL / 4]);
    } finally {
      await Promise.all(consumers.map((c) => c.close(true)));
      await producer.close();
      await admin.close();
    }
  });

  it('lists offsets by time', async () => {
    const admin = new Admin({ clientId: 'plat-admin', bootstrapBrokers: brokers() });
    const producer = new Producer({
      clientId: 'plat-producer',
      bootstrapBrokers: brokers(),
      serializers: stringSerializers,
    });
    try {
      await admin.createTopics({ topics: ['plat-time'], partitions: 1, replicas: 1 });
      const base = 1_700_000_000_000n;
      await producer.send({
        messages: Array.from({ length: 10 }, (_, i) => ({
          topic: 'plat-time',
          partition: 0,
          value: `t${i}`,
          timestamp: base + BigInt(i) * 1000n,
        })),
      });
      const at = async (timestamp: bigint) => {
        const [topic] = await admin.listOffsets({
          topics: [{ name: 'plat-time', partitions: [{ partitionIndex: 0, timestamp }] }],
        });
        return topic?.partitions[0];
      };
      expect(Number((await at(base + 3500n))?.offset)).toBe(4);
      expect((await at(base + 3500n))?.timestamp).toBe(base + 4000n);
      expect(Number((await at(base))?.offset)).toBe(0);
      expect(Number((await at(-2n))?.offset)).toBe(0);
      expect(Number((await at(-1n))?.offset)).toBe(10);
      expect(Number((await at(base + 60_000n))?.offset)).toBe(-1);
    } finally {
      await producer.close();
      await admin.close();
    }
  });
});
