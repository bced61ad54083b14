import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerMessage } from '../../../pipeline/contract';
import type { CallName, CallRequest, CallResponse } from '../../../pipeline/contract';
import { dispatch, type Workbench } from '../../../pipeline/workbench';
import { testWorkbench } from '../../helpers/workbench';

// The Topics screen's whole-topic tools on the real embedded broker, with messages a kafkajs client wrote.
let wb: Awaited<ReturnType<typeof testWorkbench>>;
let workbench: Workbench;
let kafka: Kafka;
const TOPIC = 'tool_events';
const PER_PARTITION = 40;
const base = Date.UTC(2019, 9, 1, 0, 0, 0);

async function call<K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>> {
  const answer = await dispatch(workbench, name, request);
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value as CallResponse<K>;
}

/** Partition p, row i: event time moves a minute per row; one purchase per partition, at a known row. */
const event = (p: number, i: number) => ({
  event_time: new Date(base + (i * 60 + p) * 1000).toISOString(),
  event_type: i === 7 + p * 10 ? 'purchase' : 'view',
  product_id: `${p}-${i}`,
});

beforeAll(async () => {
  wb = await testWorkbench();
  workbench = wb.workbench;
  const status = await call('broker.start', { port: 0 });
  await call('broker.createTopic', { name: TOPIC, partitions: 3 });
  kafka = new Kafka({ brokers: [status.bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (let p = 0; p < 3; p++)
      await producer.send({
        topic: TOPIC,
        messages: Array.from({ length: PER_PARTITION }, (_, i) => ({
          partition: p,
          key: `u${i}`,
          value: JSON.stringify(event(p, i)),
        })),
      });
  } finally {
    await producer.disconnect();
  }
});

afterAll(async () => {
  await wb?.dispose();
});

const where = (ms: (BrokerMessage & { partition: number })[]) => ms.map((m) => `${m.partition}:${m.offset}`);

describe('Topics tools on the broker', () => {
  it('searches every partition, and the JSON form finds what the word finds', async () => {
    const word = await call('topics.search', { topic: TOPIC, query: 'purchase' });
    expect(where(word.matches)).toEqual(['0:7', '1:17', '2:27']);
    expect(word.scanned).toBe(3 * PER_PARTITION);
    expect(word.truncated).toBe(false);
    const json = await call('topics.search', { topic: TOPIC, query: '"event_type": "purchase"' });
    expect(json.understood).toBe('event_type = purchase');
    expect(where(json.matches)).toEqual(where(word.matches));
    const limited = await call('topics.search', { topic: TOPIC, query: 'purchase', limit: 2 });
    expect(limited.truncated).toBe(true);
    expect(limited.matches).toHaveLength(2);
    const missing = await dispatch(workbench, 'topics.search', { topic: 'nope', query: 'x' });
    expect(missing).toMatchObject({ ok: false, error: { message: 'There is no topic nope.' } });
  });

  it('seeks by event time to the first message at or after it, and by broker time', async () => {
    // Row 10 of partition 1 is at 00:10:01; asking for 00:10:00 lands there.
    const at = await call('topics.seekTime', {
      topic: TOPIC,
      partition: 1,
      time: Date.UTC(2019, 9, 1, 0, 10, 0),
      by: 'event',
    });
    expect(at).toMatchObject({ offset: 10, by: 'event', pastEnd: false });
    expect(at.note).toBe(
      'By event time (the value’s event_time): offset 10 has event_time 2019-10-01T00:10:01Z.',
    );
    const late = await call('topics.seekTime', {
      topic: TOPIC,
      partition: 1,
      time: Date.UTC(2020, 0, 1),
      by: 'event',
    });
    expect(late).toMatchObject({ offset: PER_PARTITION, pastEnd: true });
    // The records were written now: by broker time, 2019 is before all of them.
    const broker = await call('topics.seekTime', { topic: TOPIC, partition: 1, time: base, by: 'broker' });
    expect(broker).toMatchObject({ offset: 0, by: 'broker' });
    expect(broker.note).toMatch(/^By broker time \(the record timestamp\): offset 0 was written at 20/);
  });

  it('produces a test message with key and headers, and refuses a topic that does not exist', async () => {
    const sent = await call('topics.produce', {
      topic: TOPIC,
      partition: 2,
      key: 'tester',
      value: '{"event_type":"test"}',
      headers: [{ key: 'origin', value: 'topics-screen' }],
    });
    expect(sent).toEqual({ topic: TOPIC, partition: 2, offset: PER_PARTITION });
    const page = await call('broker.messages', { topic: TOPIC, partition: 2, offset: PER_PARTITION });
    expect(page.messages[0]).toMatchObject({
      key: 'tester',
      value: '{"event_type":"test"}',
      headers: [{ key: 'origin', value: 'topics-screen' }],
    });
    const bad = await dispatch(workbench, 'topics.produce', { topic: 'missing_topic', value: 'x' });
    expect(bad).toMatchObject({ ok: false, error: { message: 'There is no topic missing_topic.' } });
  });

  it('keeps each group’s lag over time', async () => {
    // A group with committed offsets and no members: the broker's own reset makes one.
    await call('broker.resetOffsets', { groupId: 'analysts', topic: TOPIC, to: 'earliest' });
    const lag = await call('topics.groupLag', {});
    const analysts = lag.find((g: { groupId: string }) => g.groupId === 'analysts');
    // Earliest on all three partitions; partition 2 holds the produced test message too.
    expect(analysts?.samples.at(-1)?.lag).toBe(3 * PER_PARTITION + 1);
  });
});
