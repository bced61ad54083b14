import type { StreamOptions } from '../../contract';
import { LeanFetcher, type KafkaTarget } from '../../kafka';
import type { BronzeFeed, LakeConsumer } from './lake-consumer';

/**
 * The lean fetcher feeding Bronze: each partition's fetched record batches go into the writer as one block
 * (decoded straight into its text block), from where Bronze's manifest says, over every partition of the topic.
 */
export async function startLeanConsumer(
  target: KafkaTarget,
  options: StreamOptions,
  feed: BronzeFeed,
): Promise<LakeConsumer> {
  const { writer } = feed;
  const fetcher = await LeanFetcher.open(target, options.topic, {
    groupId: options.groupId,
    startAt: (partition) => writer.next(partition) ?? 0,
    onFetch: async (block) => {
      const expected = writer.next(block.partition);
      const { first } = writer.addRecords(block.partition, block.records, block.aborted);
      await feed.fetched(block.partition, expected, first, block.highWatermark);
    },
    onError: (error) => feed.fail(error),
  });
  fetcher.run();
  return {
    client: 'lean',
    pause: () => fetcher.pause(),
    resume: () => fetcher.resume(),
    commit: (partition, next) => void fetcher.commit(partition, next).catch(() => undefined),
    stop: () => fetcher.stop(),
  };
}
