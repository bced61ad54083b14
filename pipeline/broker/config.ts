/** Settings of one embedded broker; every field has a laptop-friendly default. */
export interface BrokerConfig {
  /** Interface to listen on. 127.0.0.1 unless the user explicitly asks for another. */
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  dataDir: string;
  /** Frames larger than this close the connection (Kafka's socket.request.max.bytes). */
  maxFrameBytes: number;
  /** Partitions of a topic created automatically by Metadata or by CreateTopics with -1. */
  defaultPartitions: number;
  autoCreateTopics: boolean;
  /** Log settings every topic starts from; CreateTopics configs override them per topic. */
  segmentBytes: number;
  retentionBytes: number;
  retentionMs: number;
  flushIntervalMs: number;
  /** How often whole old segments are checked against retention. */
  retentionCheckMs: number;
  /** Consumer-group timing; Kafka's defaults, lowered by tests. */
  groupInitialRebalanceDelayMs: number;
  groupMinSessionTimeoutMs: number;
  groupMaxSessionTimeoutMs: number;
}

export const DEFAULT_BROKER_PORT = 9092;

export function brokerConfig(overrides: Partial<BrokerConfig> & { dataDir: string }): BrokerConfig {
  return {
    host: '127.0.0.1',
    port: DEFAULT_BROKER_PORT,
    maxFrameBytes: 100 * 1024 * 1024,
    defaultPartitions: 1,
    autoCreateTopics: true,
    segmentBytes: 64 * 1024 * 1024,
    retentionBytes: 1024 * 1024 * 1024,
    retentionMs: 7 * 24 * 3600 * 1000,
    flushIntervalMs: 1000,
    retentionCheckMs: 5 * 60 * 1000,
    // Kafka waits 3 s for more members of a new group; one machine's consumers start together far faster.
    groupInitialRebalanceDelayMs: 500,
    groupMinSessionTimeoutMs: 6000,
    groupMaxSessionTimeoutMs: 300_000,
    ...overrides,
  };
}
