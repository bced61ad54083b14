import { createServer } from 'node:net';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workbench } from '../../../pipeline/workbench';
import { dispatch } from '../../../pipeline/workbench';
import { testWorkbench } from '../../helpers/workbench';

// What the Topics screen needs beyond the overview: reading from a time, and resetting a group's offsets.

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

const BASE = Date.UTC(2019, 9, 1, 0, 0, 0);
let workbench: Workbench;
let dispose: () => Promise<void>;
let kafka: Kafka;

beforeAll(async () => {
  ({ workbench, dispose } = await testWorkbench());
  const port = await freePort();
  await workbench.call('broker.start', { port });
  kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  // One message per second of event time, so times map to known offsets.
  await producer.send({
    topic: 'clicks',
    messages: Array.from({ length: 10 }, (_, i) => ({
      key: `u${i}`,
      value: JSON.stringify({ i }),
      timestamp: String(BASE + i * 1000),
    })),
  });
  await producer.disconnect();
});

afterAll(async () => {
  await dispose();
});

describe('broker.messages from a time', () => {
  it('starts at the first message at or after the timestamp', async () => {
    const page = await workbench.call('broker.messages', {
      topic: 'clicks',
      partition: 0,
      timestamp: BASE + 6500,
      limit: 2,
    });
    expect(page.messages.map((m) => m.offset)).toEqual([7, 8]);
    expect(page.messages[0]?.timestamp).toBe(new Date(BASE + 7000).toISOString());
  });

  it('gives an empty page after the newest message, and the offset wins over the time', async () => {
    const late = await workbench.call('broker.messages', {
      topic: 'clicks',
      partition: 0,
      timestamp: BASE + 60_000,
      limit: 5,
    });
    expect(late.messages).toEqual([]);
    expect(late.logEndOffset).toBe(10);
    const both = await workbench.call('broker.messages', {
      topic: 'clicks',
      partition: 0,
      offset: 1,
      timestamp: BASE + 6500,
      limit: 1,
    });
    expect(both.messages.map((m) => m.offset)).toEqual([1]);
  });

  it('refuses a negative time with a message naming the field', async () => {
    const result = await dispatch(workbench, 'broker.messages', {
      topic: 'clicks',
      partition: 0,
      timestamp: -1,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(result.ok ? '' : result.error.message).toContain('timestamp');
  });
});

describe('broker.resetOffsets', () => {
  const committed = async (groupId: string) => {
    const overview = await workbench.call('broker.overview', {});
    return overview.groups.find((g) => g.groupId === groupId);
  };

  it('moves an idle group to earliest, latest and a time, and the lag follows', async () => {
    const earliest = await workbench.call('broker.resetOffsets', {
      groupId: 'idle',
      topic: 'clicks',
      to: 'earliest',
    });
    expect(earliest).toEqual({ groupId: 'idle', topic: 'clicks', offsets: [{ partition: 0, offset: 0 }] });
    expect((await committed('idle'))?.totalLag).toBe(10);

    const atTime = await workbench.call('broker.resetOffsets', {
      groupId: 'idle',
      topic: 'clicks',
      to: { timestamp: BASE + 4000 },
    });
    expect(atTime.offsets).toEqual([{ partition: 0, offset: 4 }]);
    expect((await committed('idle'))?.totalLag).toBe(6);

    const latest = await workbench.call('broker.resetOffsets', {
      groupId: 'idle',
      topic: 'clicks',
      to: 'latest',
    });
    expect(latest.offsets).toEqual([{ partition: 0, offset: 10 }]);
    expect((await committed('idle'))?.totalLag).toBe(0);
  });

  it('refuses bad input clearly and keeps the committed offsets', async () => {
    await workbench.call('broker.resetOffsets', {
      groupId: 'kept',
      topic: 'clicks',
      to: { timestamp: BASE + 2000 },
    });
    const unknownTopic = await dispatch(workbench, 'broker.resetOffsets', {
      groupId: 'kept',
      topic: 'nope',
      to: 'earliest',
    });
    expect(unknownTopic).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'There is no topic nope.' },
    });
    const badTarget = await dispatch(workbench, 'broker.resetOffsets', {
      groupId: 'kept',
      topic: 'clicks',
      to: 'middle',
    });
    expect(badTarget).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(badTarget.ok ? '' : badTarget.error.message).toContain('to');
    expect((await committed('kept'))?.offsets.map((o) => o.committedOffset)).toEqual([2]);
  });

  it('refuses while the group has active members, as Kafka does', async () => {
    const consumer: Consumer = kafka.consumer({ groupId: 'busy', sessionTimeout: 6000 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'clicks', fromBeginning: true });
    let seen = 0;
    const allSeen = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async () => {
          if (++seen === 10) resolve();
        },
      });
    });
    await allSeen;
    try {
      const refused = await dispatch(workbench, 'broker.resetOffsets', {
        groupId: 'busy',
        topic: 'clicks',
        to: 'earliest',
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect(refused.ok ? '' : refused.error.message).toMatch(
        /Group busy has 1 active member\(s\) \(state \w+\): stop its consumers before resetting offsets\./,
      );
    } finally {
      await consumer.disconnect();
    }
    // Once the consumer left, the group is Empty and the reset goes through.
    expect((await committed('busy'))?.state).toBe('Empty');
    const reset = await workbench.call('broker.resetOffsets', {
      groupId: 'busy',
      topic: 'clicks',
      to: 'earliest',
    });
    expect(reset.offsets).toEqual([{ partition: 0, offset: 0 }]);
  });
});
