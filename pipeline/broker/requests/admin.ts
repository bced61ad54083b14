import { ErrorCode } from '../error-codes';
import {
  FIXED_TOPIC_SETTINGS,
  TOPIC_SETTING_NAMES,
  parseTopicSettings,
  topicNameProblem,
} from '../core/topic-config';
import type { CreateTopics } from '../protocol/messages/create-topics';
import type { DeleteTopics } from '../protocol/messages/delete-topics';
import type { DescribeConfigs } from '../protocol/messages/describe-configs';
import type { Handler } from './context';

const MAX_PARTITIONS = 1000;

export const handleCreateTopics: Handler<typeof CreateTopics> = (req, _ctx, core) => ({
  throttleTimeMs: 0,
  topics: req.topics.map((t) => {
    const fail = (errorCode: number, errorMessage: string) => ({ name: t.name, errorCode, errorMessage });
    const nameProblem = topicNameProblem(t.name);
    if (nameProblem) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, nameProblem);
    if (core.topics.has(t.name))
      return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
    const partitions =
      t.assignments.length > 0
        ? t.assignments.length
        : t.numPartitions === -1
          ? core.config.defaultPartitions
          : t.numPartitions;
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      return fail(
        ErrorCode.INVALID_PARTITIONS,
        `Number of partitions must be between 1 and ${MAX_PARTITIONS}, not ${partitions}.`,
      );
    }
    if (t.replicationFactor !== -1 && t.replicationFactor !== 1 && t.assignments.length === 0) {
      return fail(
        ErrorCode.INVALID_REPLICATION_FACTOR,
        `Replication factor ${t.replicationFactor} is larger than the 1 available broker: this is a single-node broker.`,
      );
    }
    const settings = parseTopicSettings(t.configs);
    if (!settings.ok) return fail(ErrorCode.INVALID_CONFIG, settings.message);
    if (!req.validateOnly) core.topics.create(t.name, partitions, settings.overrides);
    return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
  }),
});

export const handleDeleteTopics: Handler<typeof DeleteTopics> = (req, _ctx, core) => ({
  throttleTimeMs: 0,
  responses: req.topicNames.map((name) => {
    if (!core.topics.delete(name)) return { name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
    core.groups.deleteTopicOffsets(name);
    return { name, errorCode: ErrorCode.NONE };
  }),
});

const TOPIC_RESOURCE = 2;
const BROKER_RESOURCE = 4;
const DEFAULT_CONFIG_SOURCE = 5;
const TOPIC_CONFIG_SOURCE = 1;
const STATIC_BROKER_CONFIG_SOURCE = 4;

export const handleDescribeConfigs: Handler<typeof DescribeConfigs> = (req, _ctx, core) => ({
  throttleTimeMs: 0,
  results: req.resources.map((r) => {
    const result = (errorCode: number, errorMessage: string | null, entries: [string, string, number][]) => ({
      errorCode,
      errorMessage,
      resourceType: r.resourceType,
      resourceName: r.resourceName,
      configs: entries
        .filter(([name]) => r.configurationKeys === null || r.configurationKeys.includes(name))
        .map(([name, value, source]) => ({
          name,
          value,
          readOnly: source !== TOPIC_CONFIG_SOURCE && source !== DEFAULT_CONFIG_SOURCE,
          isDefault: source === DEFAULT_CONFIG_SOURCE,
          configSource: source,
          isSensitive: false,
          synonyms: [],
        })),
    });
    if (r.resourceType === TOPIC_RESOURCE) {
      const topic = core.topics.topic(r.resourceName);
      if (!topic)
        return result(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${r.resourceName} does not exist`, []);
      const settings = core.topics.settings(topic.overrides);
      return result(ErrorCode.NONE, null, [
        ...TOPIC_SETTING_NAMES.map((name): [string, string, number] => [
          name,
          String(settings[name]),
          name in topic.overrides ? TOPIC_CONFIG_SOURCE : DEFAULT_CONFIG_SOURCE,
        ]),
        ...Object.entries(FIXED_TOPIC_SETTINGS).map(([n, v]): [string, string, number] => [
          n,
          v,
          DEFAULT_CONFIG_SOURCE,
        ]),
      ]);
    }
    if (r.resourceType === BROKER_RESOURCE) {
      const c = core.config;
      return result(ErrorCode.NONE, null, [
        ['log.segment.bytes', String(c.segmentBytes), STATIC_BROKER_CONFIG_SOURCE],
        ['log.retention.bytes', String(c.retentionBytes), STATIC_BROKER_CONFIG_SOURCE],
        ['log.retention.ms', String(c.retentionMs), STATIC_BROKER_CONFIG_SOURCE],
        ['log.flush.interval.ms', String(c.flushIntervalMs), STATIC_BROKER_CONFIG_SOURCE],
        ['num.partitions', String(c.defaultPartitions), STATIC_BROKER_CONFIG_SOURCE],
        ['auto.create.topics.enable', String(c.autoCreateTopics), STATIC_BROKER_CONFIG_SOURCE],
        ['socket.request.max.bytes', String(c.maxFrameBytes), STATIC_BROKER_CONFIG_SOURCE],
      ]);
    }
    return result(ErrorCode.INVALID_REQUEST, `Unsupported resource type ${r.resourceType}`, []);
  }),
});
