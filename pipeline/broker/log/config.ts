/** Per-partition log settings. Sizes are bytes, durations milliseconds; -1 means unlimited where noted. */
export interface LogConfig {
  /** Roll to a new segment when the active one would grow past this. At most 2 GiB - 1 (int32 file positions). */
  segmentBytes: number;
  /** Roll when the active segment's first batch (appended since the broker started) is older than this. */
  segmentMs: number;
  /** Delete the oldest segments while the partition is larger than this; -1 = unlimited. */
  retentionBytes: number;
  /** Delete segments whose newest record timestamp is older than this; -1 = unlimited. */
  retentionMs: number;
  /** One sparse offset-index entry per this many bytes of log. */
  indexIntervalBytes: number;
  /** 'batch': fsync after every append. 'interval': fsync at most every flushIntervalMs (see partition-log.ts). */
  flush: 'batch' | 'interval';
  flushIntervalMs: number;
  /** Largest batch accepted (Kafka's max.message.bytes); larger ones get MESSAGE_TOO_LARGE. */
  maxMessageBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LOG_CONFIG: Readonly<LogConfig> = Object.freeze({
  segmentBytes: 64 * MiB,
  segmentMs: 7 * 24 * 60 * 60 * 1000,
  retentionBytes: 1024 * MiB,
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  indexIntervalBytes: 4096,
  flush: 'interval',
  flushIntervalMs: 1000,
  // Kafka's default: 1 MiB of records plus the 12-byte log overhead.
  maxMessageBytes: MiB + 12,
});

const INT32_MAX = 2 ** 31 - 1;

/** Fills in defaults and refuses settings the log cannot honour. */
export function resolveLogConfig(partial: Partial<LogConfig> = {}): LogConfig {
  const config: LogConfig = { ...DEFAULT_LOG_CONFIG };
  for (const [key, value] of Object.entries(partial) as [keyof LogConfig, unknown][]) {
    if (value !== undefined) Object.assign(config, { [key]: value });
  }
  const positive = (name: keyof LogConfig, max = Number.MAX_SAFE_INTEGER): void => {
    const v = config[name];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1 || v > max) {
      throw new RangeError(`log config ${name} must be an integer between 1 and ${max}, got ${String(v)}`);
    }
  };
  const limitOrUnlimited = (name: 'retentionBytes' | 'retentionMs'): void => {
    const v = config[name];
    if (!Number.isSafeInteger(v) || (v < 0 && v !== -1)) {
      throw new RangeError(`log config ${name} must be -1 (unlimited) or a non-negative integer, got ${v}`);
    }
  };
  positive('segmentBytes', INT32_MAX);
  positive('segmentMs');
  positive('indexIntervalBytes', INT32_MAX);
  positive('flushIntervalMs');
  positive('maxMessageBytes', INT32_MAX);
  limitOrUnlimited('retentionBytes');
  limitOrUnlimited('retentionMs');
  if (config.flush !== 'batch' && config.flush !== 'interval') {
    throw new RangeError(`log config flush must be 'batch' or 'interval', got ${String(config.flush)}`);
  }
  return config;
}
