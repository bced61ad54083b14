import { brokerConfig, type BrokerConfig } from '../config';
import { DEFAULT_SEGMENT_MS, FIXED_TOPIC_SETTINGS, TOPIC_SETTING_NAMES } from '../core/topic-config';
import { ErrorCode } from '../error-codes';
import type { DescribeConfigs } from '../protocol/messages/describe-configs';
import type { RequestOf } from '../protocol/api';
import type { BrokerCore, Handler } from './context';
import { NODE_ID } from './metadata';

const TOPIC_RESOURCE = 2;
const BROKER_RESOURCE = 4;

/** Kafka's ConfigSource values. */
const Source = { TOPIC: 1, STATIC_BROKER: 4, DEFAULT: 5 } as const;
/** Kafka's ConfigType values (DescribeConfigs v3+). */
const Kind = { BOOLEAN: 1, STRING: 2, INT: 3, SHORT: 4, LONG: 5, LIST: 7 } as const;

interface Synonym {
  name: string;
  value: string | null;
  source: number;
}

/** One config as Kafka describes it: its value, where it came from, and its synonyms in precedence order. */
interface Described {
  name: string;
  value: string;
  source: number;
  readOnly: boolean;
  kind: number;
  doc: string;
  synonyms: Synonym[];
}

interface BrokerEntry {
  name: string;
  kind: number;
  doc: string;
  value: (c: BrokerConfig) => string;
}

/** Broker settings clients read (admin tools check default.replication.factor, min.insync.replicas...). */
const BROKER_ENTRIES: BrokerEntry[] = [
  { name: 'broker.id', kind: Kind.INT, doc: 'The id of this broker.', value: () => String(NODE_ID) },
  {
    name: 'num.partitions',
    kind: Kind.INT,
    doc: 'Partitions of an auto-created topic.',
    value: (c) => String(c.defaultPartitions),
  },
  {
    name: 'default.replication.factor',
    kind: Kind.INT,
    doc: 'Replicas of an auto-created topic: one broker.',
    value: () => '1',
  },
  {
    name: 'min.insync.replicas',
    kind: Kind.INT,
    doc: 'Replicas that must acknowledge an acks=all write.',
    value: () => '1',
  },
  {
    name: 'offsets.topic.replication.factor',
    kind: Kind.SHORT,
    doc: 'Replicas of the offsets store.',
    value: () => '1',
  },
  {
    name: 'transaction.state.log.replication.factor',
    kind: Kind.SHORT,
    doc: 'Replicas of the transaction log.',
    value: () => '1',
  },
  {
    name: 'auto.create.topics.enable',
    kind: Kind.BOOLEAN,
    doc: 'Whether Metadata creates unknown topics.',
    value: (c) => String(c.autoCreateTopics),
  },
  {
    name: 'delete.topic.enable',
    kind: Kind.BOOLEAN,
    doc: 'Whether topics can be deleted.',
    value: () => 'true',
  },
  {
    name: 'log.retention.ms',
    kind: Kind.LONG,
    doc: 'Age after which old segments are deleted.',
    value: (c) => String(c.retentionMs),
  },
  {
    name: 'log.retention.bytes',
    kind: Kind.LONG,
    doc: 'Partition size above which old segments are deleted.',
    value: (c) => String(c.retentionBytes),
  },
  {
    name: 'log.segment.bytes',
    kind: Kind.INT,
    doc: 'Size of one log segment file.',
    value: (c) => String(c.segmentBytes),
  },
  {
    name: 'log.roll.ms',
    kind: Kind.LONG,
    doc: 'Time after which a new log segment is rolled even if the active one is not full (log.roll.hours = 168).',
    value: () => String(DEFAULT_SEGMENT_MS),
  },
  {
    name: 'log.flush.interval.ms',
    kind: Kind.LONG,
    doc: 'How often logs are flushed to disk.',
    value: (c) => String(c.flushIntervalMs),
  },
  {
    name: 'log.cleanup.policy',
    kind: Kind.LIST,
    doc: 'Old segments are deleted, never compacted.',
    value: () => FIXED_TOPIC_SETTINGS['cleanup.policy'] ?? 'delete',
  },
  {
    name: 'compression.type',
    kind: Kind.STRING,
    doc: 'Batches are kept as the producer compressed them.',
    value: () => FIXED_TOPIC_SETTINGS['compression.type'] ?? 'producer',
  },
  {
    name: 'log.message.timestamp.type',
    kind: Kind.STRING,
    doc: "Record timestamps are the producer's.",
    value: () => FIXED_TOPIC_SETTINGS['message.timestamp.type'] ?? 'CreateTime',
  },
  {
    name: 'socket.request.max.bytes',
    kind: Kind.INT,
    doc: 'Largest request frame accepted.',
    value: (c) => String(c.maxFrameBytes),
  },
  {
    name: 'group.initial.rebalance.delay.ms',
    kind: Kind.INT,
    doc: 'Wait for more members of a new group.',
    value: (c) => String(c.groupInitialRebalanceDelayMs),
  },
  {
    name: 'group.min.session.timeout.ms',
    kind: Kind.INT,
    doc: 'Shortest consumer session timeout.',
    value: (c) => String(c.groupMinSessionTimeoutMs),
  },
  {
    name: 'group.max.session.timeout.ms',
    kind: Kind.INT,
    doc: 'Longest consumer session timeout.',
    value: (c) => String(c.groupMaxSessionTimeoutMs),
  },
];

/** Each topic config and the broker config it falls back to (Kafka's synonyms). */
const TOPIC_TO_BROKER: Record<string, string> = {
  'retention.ms': 'log.retention.ms',
  'retention.bytes': 'log.retention.bytes',
  'segment.bytes': 'log.segment.bytes',
  'segment.ms': 'log.roll.ms',
  'cleanup.policy': 'log.cleanup.policy',
  'compression.type': 'compression.type',
  'message.timestamp.type': 'log.message.timestamp.type',
  'min.insync.replicas': 'min.insync.replicas',
};

const TOPIC_NAMES = [...TOPIC_SETTING_NAMES, ...Object.keys(FIXED_TOPIC_SETTINGS)];

/** A broker value differing from the built-in default was set when the broker started: static config. */
function brokerSynonym(
  name: string,
  config: BrokerConfig,
): { entry: BrokerEntry; name: string; value: string; source: number } {
  const entry = BROKER_ENTRIES.find((e) => e.name === name) as BrokerEntry;
  const value = entry.value(config);
  const builtIn = entry.value(brokerConfig({ dataDir: config.dataDir }));
  return { entry, name, value, source: value === builtIn ? Source.DEFAULT : Source.STATIC_BROKER };
}

function describeBroker(config: BrokerConfig): Described[] {
  return BROKER_ENTRIES.map((e) => {
    const s = brokerSynonym(e.name, config);
    return {
      name: e.name,
      value: s.value,
      source: s.source,
      readOnly: true,
      kind: e.kind,
      doc: e.doc,
      synonyms: [s],
    };
  });
}

function describeTopic(overrides: Record<string, unknown>, config: BrokerConfig): Described[] {
  return TOPIC_NAMES.map((name) => {
    const brokerName = TOPIC_TO_BROKER[name];
    if (!brokerName) throw new Error(`topic setting ${name} has no broker synonym in TOPIC_TO_BROKER`);
    const broker = brokerSynonym(brokerName, config);
    const fallback: Synonym = { name: broker.name, value: broker.value, source: broker.source };
    const own = overrides[name];
    const base = { name, readOnly: false, kind: broker.entry.kind, doc: broker.entry.doc };
    if (own === undefined)
      return { ...base, value: broker.value, source: broker.source, synonyms: [fallback] };
    const value = String(own as string | number);
    return {
      ...base,
      value,
      source: Source.TOPIC,
      synonyms: [{ name, value, source: Source.TOPIC }, fallback],
    };
  });
}

/** Kafka answers every known requested key, in the order asked; null or [] asks for all. */
function pick(all: Described[], keys: string[] | null): Described[] {
  if (keys === null || keys.length === 0) return all;
  return keys.flatMap((k) => all.filter((d) => d.name === k));
}

type Resource = RequestOf<typeof DescribeConfigs>['resources'][number];

function describe(
  r: Resource,
  core: BrokerCore,
): { errorCode: number; errorMessage: string | null; configs: Described[] } {
  if (r.resourceType === TOPIC_RESOURCE) {
    const topic = core.topics.topic(r.resourceName);
    if (!topic) {
      return {
        errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        errorMessage: `Topic '${r.resourceName}' does not exist.`,
        configs: [],
      };
    }
    return {
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      configs: describeTopic(topic.overrides, core.config),
    };
  }
  if (r.resourceType === BROKER_RESOURCE) {
    if (r.resourceName !== '' && r.resourceName !== String(NODE_ID)) {
      return {
        errorCode: ErrorCode.INVALID_REQUEST,
        errorMessage: `Unexpected broker id, expected ${NODE_ID} or empty string, but received ${r.resourceName}`,
        configs: [],
      };
    }
    return { errorCode: ErrorCode.NONE, errorMessage: null, configs: describeBroker(core.config) };
  }
  return {
    errorCode: ErrorCode.INVALID_REQUEST,
    errorMessage: `Unsupported resource type ${r.resourceType}: this broker describes topics (2) and the broker (4)`,
    configs: [],
  };
}

export const handleDescribeConfigs: Handler<typeof DescribeConfigs> = (req, _ctx, core) => ({
  throttleTimeMs: 0,
  results: req.resources.map((r) => {
    const { errorCode, errorMessage, configs } = describe(r, core);
    return {
      errorCode,
      errorMessage,
      resourceType: r.resourceType,
      resourceName: r.resourceName,
      configs: pick(configs, r.configurationKeys).map((d) => ({
        name: d.name,
        value: d.value,
        readOnly: d.readOnly,
        isDefault: d.source === Source.DEFAULT,
        configSource: d.source,
        isSensitive: false,
        synonyms: req.includeSynonyms ? d.synonyms : [],
        configType: d.kind,
        documentation: req.includeDocumentation ? d.doc : null,
      })),
    };
  }),
});
