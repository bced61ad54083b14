import { ErrorCode } from '../error-codes';
import { topicNameProblem } from '../core/topic-config';
import type { Metadata } from '../protocol/messages/metadata';
import { ZERO_UUID } from '../protocol/types';
import type { BrokerCore, Handler } from './context';

export const NODE_ID = 0;

/** Kafka's "not asked for" value of the authorized-operations fields (we have no ACLs). */
const OPERATIONS_NOT_REQUESTED = -2147483648;

/**
 * One broker (us) leads every partition; unknown topics are created on request, as Kafka's
 * auto.create.topics.enable does. From v10 a topic may be asked for by id instead of by name.
 */
export const handleMetadata: Handler<typeof Metadata> = (req, ctx, core) => {
  const { host, port } = core.advertised();
  const everything = req.topics === null || (ctx.version === 0 && req.topics.length === 0);
  const autoCreate = core.config.autoCreateTopics && (ctx.version < 4 || req.allowAutoTopicCreation);
  const topics = everything
    ? core.topics.names().map((name) => topicMetadata(name, false, core))
    : (req.topics ?? []).map((t) => {
        if (t.name !== null) return topicMetadata(t.name, autoCreate, core);
        const name = core.topics.nameOf(t.topicId);
        if (name !== undefined) return topicMetadata(name, false, core);
        return { ...noTopic(null, t.topicId), errorCode: ErrorCode.UNKNOWN_TOPIC_ID };
      });
  return {
    throttleTimeMs: 0,
    brokers: [{ nodeId: NODE_ID, host, port, rack: null }],
    clusterId: core.clusterId,
    controllerId: NODE_ID,
    topics,
    clusterAuthorizedOperations: OPERATIONS_NOT_REQUESTED,
  };
};

function noTopic(name: string | null, topicId: string) {
  return {
    name,
    topicId,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: OPERATIONS_NOT_REQUESTED,
  };
}

function topicMetadata(name: string, autoCreate: boolean, core: BrokerCore) {
  if (!core.topics.has(name)) {
    const none = noTopic(name, ZERO_UUID);
    if (topicNameProblem(name)) return { ...none, errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION };
    if (!autoCreate) return { ...none, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
    core.topics.create(name, core.config.defaultPartitions, {});
  }
  const partitions = core.topics.topic(name)?.partitions ?? [];
  return {
    ...noTopic(name, core.topics.idOf(name) ?? ZERO_UUID),
    errorCode: ErrorCode.NONE,
    partitions: partitions.map((_, partitionIndex) => ({
      errorCode: ErrorCode.NONE,
      partitionIndex,
      leaderId: NODE_ID,
      // -1 (unknown) keeps clients from validating epochs with OffsetForLeaderEpoch, which we do not offer.
      leaderEpoch: -1,
      replicaNodes: [NODE_ID],
      isrNodes: [NODE_ID],
      offlineReplicas: [],
    })),
  };
}
