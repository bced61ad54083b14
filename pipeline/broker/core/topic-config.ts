import type { BrokerConfig } from '../config';

/** The topic-level settings a client may set with CreateTopics and read with DescribeConfigs. */
export interface TopicSettings {
  'retention.ms': number;
  'retention.bytes': number;
  'segment.bytes': number;
}

export const TOPIC_SETTING_NAMES = ['retention.ms', 'retention.bytes', 'segment.bytes'] as const;

/** Settings we report but that cannot change here: they describe how this broker behaves. */
export const FIXED_TOPIC_SETTINGS: Record<string, string> = {
  'cleanup.policy': 'delete',
  'compression.type': 'producer',
  'message.timestamp.type': 'CreateTime',
  'min.insync.replicas': '1',
};

export function defaultTopicSettings(config: BrokerConfig): TopicSettings {
  return {
    'retention.ms': config.retentionMs,
    'retention.bytes': config.retentionBytes,
    'segment.bytes': config.segmentBytes,
  };
}

/** Validates CreateTopics configs; returns the overrides, or the message of the first bad entry. */
export function parseTopicSettings(
  entries: { name: string; value: string | null }[],
): { ok: true; overrides: Partial<TopicSettings> } | { ok: false; message: string } {
  const overrides: Partial<TopicSettings> = {};
  for (const { name, value } of entries) {
    if ((TOPIC_SETTING_NAMES as readonly string[]).includes(name)) {
      const n = Number(value);
      const min = name === 'segment.bytes' ? 1024 * 1024 : -1;
      if (value === null || !Number.isSafeInteger(n) || n < min) {
        return {
          ok: false,
          message: `Invalid value ${String(value)} for configuration ${name}: must be an integer ≥ ${min}`,
        };
      }
      overrides[name as keyof TopicSettings] = n;
    } else if (name in FIXED_TOPIC_SETTINGS) {
      if (value !== FIXED_TOPIC_SETTINGS[name]) {
        return {
          ok: false,
          message: `Configuration ${name} can only be ${FIXED_TOPIC_SETTINGS[name]} on this broker`,
        };
      }
    } else {
      return { ok: false, message: `Unknown topic config name: ${name}` };
    }
  }
  return { ok: true, overrides };
}

const LEGAL_TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

/** Kafka's topic name rule; null when legal, else why not. */
export function topicNameProblem(name: string): string | null {
  if (name === '.' || name === '..') return `Topic name cannot be "${name}"`;
  if (!LEGAL_TOPIC.test(name)) {
    return `Topic name "${name}" is illegal: use 1 to 249 characters from a-z, A-Z, 0-9, '.', '_' and '-'`;
  }
  return null;
}
