import { createServer } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workbench } from '../../../pipeline/workbench';
import { dispatch } from '../../../pipeline/workbench';
import { testWorkbench } from '../../helpers/workbench';

// The Topics screen's administration calls, through the Workbench service and the broker's worker thread,
// checked against what a Kafka client then sees.

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

let workbench: Workbench;
let dispose: () => Promise<void>;
let kafka: Kafka;

beforeAll(async () => {
  ({ workbench, dispose } = await testWorkbench());
  const port = await freePort();
  await workbench.call('broker.start', { port });
  kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 2 } });
});
afterAll(async () => dispose());

const refusal = async (name: Parameters<typeof dispatch>[1], request: unknown) => {
  const res = await dispatch(workbench, name, request);
  if (res.ok) throw new Error(`${name} was accepted`);
  return res.error;
};

describe('topic administration from the Workbench', () => {
  it('creates a topic with its retention, adds partitions, changes and resets configs, deletes it', async () => {
    const created = await workbench.call('broker.createTopic', {
      name: 'orders',
      partitions: 2,
      retentionMs: 3 * 86_400_000,
      retentionBytes: 512 * 1024 ** 2,
    });
    expect(created.partitions).toHaveLength(2);
    expect(created.settings).toMatchObject({
      'retention.ms': '259200000',
      'retention.bytes': String(512 * 1024 ** 2),
    });

    const admin = kafka.admin();
    await admin.connect();
    try {
      const described = await admin.describeConfigs({
        resources: [{ type: 2, name: 'orders' }],
        includeSynonyms: false,
      });
      const retention = described.resources[0]?.configEntries.find((e) => e.configName === 'retention.ms');
      expect(retention?.configValue).toBe('259200000');

      expect(
        (await workbench.call('broker.addPartitions', { topic: 'orders', count: 4 })).partitions,
      ).toHaveLength(4);
      expect((await admin.fetchTopicMetadata({ topics: ['orders'] })).topics[0]?.partitions).toHaveLength(4);

      const changed = await workbench.call('broker.setTopicConfig', {
        topic: 'orders',
        configs: [
          { name: 'retention.ms', value: '3600000' },
          { name: 'retention.bytes', value: null },
        ],
      });
      expect(changed.settings).toMatchObject({
        'retention.ms': '3600000',
        'retention.bytes': String(1024 ** 3),
      });

      expect(await refusal('broker.createTopic', { name: 'orders', partitions: 1 })).toMatchObject({
        code: 'CONFLICT',
        message: "Topic 'orders' already exists.",
      });
      expect(await refusal('broker.createTopic', { name: 'bad name', partitions: 1 })).toMatchObject({
        code: 'VALIDATION',
      });
      expect(await refusal('broker.addPartitions', { topic: 'orders', count: 3 })).toMatchObject({
        code: 'VALIDATION',
        message: expect.stringMatching(/currently has 4 partitions/),
      });
      expect(
        await refusal('broker.setTopicConfig', {
          topic: 'orders',
          configs: [{ name: 'retention.ms', value: 'soon' }],
        }),
      ).toMatchObject({
        code: 'VALIDATION',
        message: expect.stringMatching(/Invalid value soon for configuration retention.ms/),
      });
      expect(
        await refusal('broker.setTopicConfig', {
          topic: 'nope',
          configs: [{ name: 'retention.ms', value: '1' }],
        }),
      ).toMatchObject({
        code: 'NOT_FOUND',
      });
      // Refusals changed nothing.
      const overview = await workbench.call('broker.overview', {});
      expect(overview.topics.find((t) => t.name === 'orders')?.settings).toMatchObject({
        'retention.ms': '3600000',
      });

      expect(await workbench.call('broker.deleteTopic', { name: 'orders' })).toEqual({ name: 'orders' });
      expect(await admin.listTopics()).not.toContain('orders');
      expect(await refusal('broker.deleteTopic', { name: 'orders' })).toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await admin.disconnect();
    }
  });

  it('deletes records before an offset, and an idle group but not a busy one', async () => {
    await workbench.call('broker.createTopic', { name: 'clicks', partitions: 1 });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'clicks',
      messages: Array.from({ length: 10 }, (_, i) => ({ value: `v${i}` })),
    });
    await producer.disconnect();

    expect(
      await workbench.call('broker.deleteRecords', { topic: 'clicks', partition: 0, beforeOffset: 4 }),
    ).toEqual({
      topic: 'clicks',
      partition: 0,
      logStartOffset: 4,
    });
    const page = await workbench.call('broker.messages', {
      topic: 'clicks',
      partition: 0,
      offset: 0,
      limit: 100,
    });
    expect(page.messages.map((m) => m.offset)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(
      await refusal('broker.deleteRecords', { topic: 'clicks', partition: 0, beforeOffset: 11 }),
    ).toMatchObject({
      code: 'VALIDATION',
      message: 'Offset 11 is past the end of clicks-0 (its messages are 4 to 9).',
    });
    expect(
      await refusal('broker.deleteRecords', { topic: 'clicks', partition: 3, beforeOffset: 1 }),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });

    const consumer = kafka.consumer({ groupId: 'busy', sessionTimeout: 6000, heartbeatInterval: 300 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'clicks', fromBeginning: true });
    let seen = 0;
    await new Promise<void>(
      (resolve) => void consumer.run({ eachMessage: async () => void (++seen === 6 && resolve()) }),
    );
    try {
      expect(await refusal('broker.deleteGroup', { groupId: 'busy' })).toMatchObject({
        code: 'CONFLICT',
        message: 'Group busy has 1 active member(s): stop its consumers before deleting it.',
      });
    } finally {
      await consumer.disconnect();
    }
    expect(await workbench.call('broker.deleteGroup', { groupId: 'busy' })).toEqual({ groupId: 'busy' });
    expect((await workbench.call('broker.overview', {})).groups.map((g) => g.groupId)).not.toContain('busy');
    expect(await refusal('broker.deleteGroup', { groupId: 'busy' })).toMatchObject({
      code: 'NOT_FOUND',
      message: 'There is no group busy.',
    });
  });
});
