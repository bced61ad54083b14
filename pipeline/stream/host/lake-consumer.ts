import type { Kafka } from 'kafkajs';
import type { StreamOptions } from '../../contract';
import type { KafkaTarget } from '../../kafka';
import type { BronzeWriter } from '../bronze-writer';
import { startKafkajsConsumer } from './kafkajs-consumer';
import { startLeanConsumer } from './lean-consumer';

/** What a lake consumer feeds: the Bronze writer, and the stream's bookkeeping after each fetched block. */
export interface BronzeFeed {
  readonly writer: BronzeWriter;
  /**
   * Called after a partition's fetched block went into the writer: `expected` is where Bronze stood before
   * it, `first` the first offset it took (null: none). Resolves when the consumer may go on fetching.
   */
  fetched(
    partition: number,
    expected: number | null,
    first: number | null,
    highWatermark: number,
  ): Promise<void>;
  fail(error: unknown): void;
}

/** The lake's Kafka consumer, whichever client reads: fetching, pausing, and commits for lag displays. */
export interface LakeConsumer {
  readonly client: 'lean' | 'kafkajs';
  pause(): void;
  resume(): void;
  /** Tells the group the next offset Bronze needs (Bronze itself resumes from its manifest). */
  commit(partition: number, next: number): void;
  stop(): Promise<void>;
}

/**
 * Starts reading the stream's topic into Bronze: the lean fetcher (record batches decoded in bulk) unless
 * SASL is configured, which only kafkajs speaks.
 */
export function startLakeConsumer(
  kafka: Kafka,
  target: KafkaTarget,
  options: StreamOptions,
  feed: BronzeFeed,
): Promise<LakeConsumer> {
  return target.sasl ? startKafkajsConsumer(kafka, options, feed) : startLeanConsumer(target, options, feed);
}
