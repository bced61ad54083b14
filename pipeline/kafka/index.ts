/**
 * The one Kafka client module: where to connect (embedded broker or external cluster, TLS and SASL),
 * the kafkajs client, topic creation, and the replay's batch producer. Every stage talks to Kafka through
 * this module, over the wire only, so an external cluster behaves like the embedded broker.
 */
export { bootstrapServers, resolveTarget, type KafkaTarget } from './target';
export { kafkaClient } from './client';
export {
  DEFAULT_EVENT_PARTITIONS,
  DEFAULT_RETENTION_BYTES,
  endOffsets,
  ensureTopics,
  eventTopicSpec,
  type EnsuredTopics,
  type TopicSpec,
} from './topics';
export { LeanFetcher, type FetchedPartition, type LeanFetchOptions } from './lean-fetch';
export {
  decodeRecordBatches,
  RecordView,
  type AbortedTransaction,
  type DecodedFetch,
  type RecordSink,
} from './record-decoder';
