import type { BrokerConfig } from '../config';

/** The topic-level settings a client may set with CreateTopics and read with DescribeConfigs. */
export interface TopicSettings {
  'retention.ms': number;
  'retention.bytes': number;
  'segment.bytes': number;
  'segment.ms': number;
}

export const TOPIC_SETTING_NAMES = [
  'retention.ms',
  'retention.bytes',
  'segment.bytes',
  'segment.ms',
] as const;

/** Kafka's default segment.ms (log.roll.hours = 168). */
export const DEFAULT_SEGMENT_MS = 7 * 24 * 3600 * 1000;

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
    'segment.ms': DEFAULT_SEGMENT_MS,
  };
}

const INT32_MAX = 2 ** 31 - 1;
const LIMITS: Record<keyof TopicSettings, { min: number; max: number; meaning: string }> = {
  'retention.ms': { min: -1, max: Number.MAX_SAFE_INTEGER, meaning: 'milliseconds, -1 = keep forever' },
  'retention.bytes': { min: -1, max: Number.MAX_SAFE_INTEGER, meaning: 'bytes per partition, -1 = no limit' },
  'segment.bytes': { min: 1024 * 1024, max: INT32_MAX, meaning: 'bytes' },
  'segment.ms': { min: 1, max: Number.MAX_SAFE_INTEGER, meaning: 'milliseconds' },
};

export function isTopicSetting(name: string): name is keyof TopicSettings {
  return (TOPIC_SETTING_NAMES as readonly string[]).includes(name);
}

/** The value of one changeable setting, or why it is refused. */
export function parseTopicSetting(
  name: keyof TopicSettings,
  value: string | null,
): { ok: true; value: number } | { ok: false; message: string } {
  const { min, max, meaning } = LIMITS[name];
  const n = value === null || value.trim() === '' ? NaN : Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    return {
      ok: false,
      message: `Invalid value ${String(value)} for configuration ${name}: must be an integer from ${min} to ${max} (${meaning})`,
    };
  }
  return { ok: true, value: n };
}

/** Why a setting this broker reports but cannot change is refused; null when the value is what it is anyway. */
export function fixedSettingProblem(name: string, value: string | null): string | null {
  const fixed = FIXED_TOPIC_SETTINGS[name];
  if (fixed === undefined) return `Unknown topic config name: ${name}`;
  return value === fixed ? null : `Configuration ${name} can only be ${fixed} on this broker`;
}

/** Validates CreateTopics and AlterConfigs configs; returns the overrides, or the message of the first bad entry. */
export function parseTopicSettings(
  entries: { name: string; value: string | null }[],
): { ok: true; overrides: Partial<TopicSettings> } | { ok: false; message: string } {
  const overrides: Partial<TopicSettings> = {};
  for (const { name, value } of entries) {
    if (isTopicSetting(name)) {
      const parsed = parseTopicSetting(name, value);
      if (!parsed.ok) return parsed;
      overrides[name] = parsed.value;
    } else {
      const problem = fixedSettingProblem(name, value);
      if (problem) return { ok: false, message: problem };
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
