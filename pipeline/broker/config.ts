import { DEFAULT_LIMITS } from './limits';

/** Settings of one embedded broker; every field has a laptop-friendly default. */
export interface BrokerConfig {
  /** Interface to listen on. 127.0.0.1 unless the user explicitly asks for another (needs TLS or SASL). */
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
  /** TLS on the listener: PEM certificate (chain) and private key files, both or neither. */
  tlsCertFile: string | null;
  tlsKeyFile: string | null;
  /** SASL users (JSON, see sasl/users-file.ts); null = no authentication. */
  saslUsersFile: string | null;
  /** The app's own clients (replay, lake stream) when SASL is on: a user that lives only in memory. */
  saslInternalUser: { name: string; password: string } | null;
  /** Connection limits: see limits.ts for what each means and its default. */
  connectionsMaxIdleMs: number;
  partialFrameTimeoutMs: number;
  maxConnections: number;
  maxBufferedBytes: number;
  saslMaxReceiveBytes: number;
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
    tlsCertFile: null,
    tlsKeyFile: null,
    saslUsersFile: null,
    saslInternalUser: null,
    ...DEFAULT_LIMITS,
    ...overrides,
  };
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** What makes a configuration unsafe or incoherent, in one sentence; null when it is fine. */
export function brokerConfigProblem(config: BrokerConfig): string | null {
  if ((config.tlsCertFile === null) !== (config.tlsKeyFile === null))
    return 'TLS needs both a certificate and a key (--tls-cert and --tls-key).';
  if (!isLoopbackHost(config.host) && config.tlsCertFile === null && config.saslUsersFile === null)
    return `Refusing to listen on ${config.host}: a broker reachable from other machines needs TLS (--tls-cert, --tls-key) or SASL (--sasl-users); without them it only listens on 127.0.0.1.`;
  if (config.maxBufferedBytes < config.maxFrameBytes)
    return `The buffered-bytes budget (${config.maxBufferedBytes}) must hold at least one largest request (${config.maxFrameBytes} bytes).`;
  return null;
}
