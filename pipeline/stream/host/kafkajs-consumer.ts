import type { EachBatchPayload, Kafka } from 'kafkajs';
import type { StreamOptions } from '../../contract';
import type { BronzeFeed, LakeConsumer } from './lake-consumer';

/**
 * The kafkajs consumer in the stream's group (the path for SASL clusters): every assigned partition is
 * sought to where Bronze's manifest says, and each fetched batch goes into the writer message by message.
 */
export async function startKafkajsConsumer(
  kafka: Kafka,
  options: StreamOptions,
  feed: BronzeFeed,
): Promise<LakeConsumer> {
  const { writer } = feed;
  const topic = options.topic;
  const consumer = kafka.consumer({
    groupId: options.groupId,
    maxWaitTimeInMs: 250,
    heartbeatInterval: 1000,
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      // Bronze's manifest, not the group's committed offsets, says where each partition resumes.
      for (const partition of payload.memberAssignment[topic] ?? [])
        consumer.seek({ topic, partition, offset: String(writer.next(partition) ?? 0) });
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => feed.fail(payload.error));
    const onBatch = async ({ batch, resolveOffset, heartbeat }: EachBatchPayload) => {
      const partition = batch.partition;
      const expected = writer.next(partition);
      let first: number | null = null;
      for (const m of batch.messages) {
        const offset = Number(m.offset);
        const taken = writer.add(
          partition,
          offset,
          Number(m.timestamp),
          m.key ?? null,
          m.headers ?? null,
          m.value ?? null,
        );
        if (taken && first === null) first = offset;
      }
      const last = batch.messages.at(-1);
      if (last) resolveOffset(last.offset);
      await feed.fetched(partition, expected, first, Number(batch.highWatermark));
      await heartbeat();
    };
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: onBatch });
  } catch (error) {
    await consumer.disconnect().catch(() => undefined);
    throw error;
  }
  return {
    client: 'kafkajs',
    pause: () => consumer.pause([{ topic }]),
    resume: () => consumer.resume([{ topic }]),
    commit: (partition, next) =>
      void consumer.commitOffsets([{ topic, partition, offset: String(next) }]).catch(() => undefined),
    stop: () => consumer.disconnect().catch(() => undefined),
  };
}
