import { ErrorCode } from '../error-codes';
import {
  FIXED_TOPIC_SETTINGS,
  TOPIC_SETTING_NAMES,
  parseTopicSettings,
  topicNameProblem,
} from '../core/topic-config';
import type { CreateTopics } from '../protocol/messages/create-topics';
import type { DeleteTopics } from '../protocol/messages/delete-topics';
import { ZERO_UUID } from '../protocol/types';
import type { BrokerCore, Handler } from './context';

const MAX_PARTITIONS = 1000;

export const handleCreateTopics: Handler<typeof CreateTopics> = (req, _ctx, core) => ({
  throttleTimeMs: 0,
  topics: req.topics.map((t) => {
    const fail = (errorCode: number, errorMessage: string) => ({
      name: t.name,
      topicId: ZERO_UUID,
      errorCode,
      errorMessage,
      topicConfigErrorCode: ErrorCode.NONE,
      numPartitions: -1,
      replicationFactor: -1,
      configs: null,
    });
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
    // v5+ tells the creator what it got: partitions, replication and every config of the new topic.
    return {
      name: t.name,
      topicId: core.topics.idOf(t.name) ?? ZERO_UUID,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      topicConfigErrorCode: ErrorCode.NONE,
      numPartitions: partitions,
      replicationFactor: 1,
      configs: createdConfigs(settings.overrides, core),
    };
  }),
});

const TOPIC_CONFIG_SOURCE = 1;
const DEFAULT_CONFIG_SOURCE = 5;

function createdConfigs(overrides: Record<string, unknown>, core: BrokerCore) {
  const settings = core.topics.settings(overrides);
  return [
    ...TOPIC_SETTING_NAMES.map((name) => ({
      name,
      value: String(settings[name]),
      source: name in overrides,
    })),
    ...Object.entries(FIXED_TOPIC_SETTINGS).map(([name, value]) => ({ name, value, source: false })),
  ].map(({ name, value, source }) => ({
    name,
    value,
    readOnly: false,
    configSource: source ? TOPIC_CONFIG_SOURCE : DEFAULT_CONFIG_SOURCE,
    isSensitive: false,
  }));
}

/** Up to v5 topics are named; from v6 each is named or given by id. */
export const handleDeleteTopics: Handler<typeof DeleteTopics> = (req, ctx, core) => {
  const asked = ctx.version >= 6 ? req.topics : req.topicNames.map((name) => ({ name, topicId: ZERO_UUID }));
  return {
    throttleTimeMs: 0,
    responses: asked.map(({ name: askedName, topicId: askedId }) => {
      const byId = askedName === null;
      const name = byId ? (core.topics.nameOf(askedId) ?? null) : askedName;
      const topicId = name === null ? askedId : (core.topics.idOf(name) ?? ZERO_UUID);
      if (name === null || !core.topics.delete(name)) {
        return {
          name,
          topicId,
          errorCode: byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          errorMessage: byId ? `No topic has id ${askedId}.` : `Topic '${String(name)}' does not exist.`,
        };
      }
      core.groups.deleteTopicOffsets(name);
      return { name, topicId, errorCode: ErrorCode.NONE, errorMessage: null };
    }),
  };
};
