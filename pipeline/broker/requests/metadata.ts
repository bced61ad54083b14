import { ErrorCode } from '../error-codes';
import { topicNameProblem } from '../core/topic-config';
import type { Metadata } from '../protocol/messages/metadata';
import type { BrokerCore, Handler } from './context';

export const NODE_ID = 0;

/** One broker (us) leads every partition; unknown topics are created on request, as Kafka's auto.create.topics.enable does. */
export const handleMetadata: Handler<typeof Metadata> = (req, ctx, core) => {
  const { host, port } = core.advertised();
  const everything = req.topics === null || (ctx.version === 0 && req.topics.length === 0);
  const names = everything ? core.topics.names() : (req.topics ?? []).map((t) => t.name);
  const autoCreate = core.config.autoCreateTopics && (ctx.version < 4 || req.allowAutoTopicCreation);
  return {
    throttleTimeMs: 0,
    brokers: [{ nodeId: NODE_ID, host, port, rack: null }],
    clusterId: core.clusterId,
    controllerId: NODE_ID,
    topics: names.map((name) => topicMetadata(name, autoCreate, core)),
  };
};

function topicMetadata(name: string, autoCreate: boolean, core: BrokerCore) {
  const none = { name, isInternal: false, partitions: [] };
  if (!core.topics.has(name)) {
    if (topicNameProblem(name)) return { ...none, errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION };
    if (!autoCreate) return { ...none, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
    core.topics.create(name, core.config.defaultPartitions, {});
  }
  const partitions = core.topics.topic(name)?.partitions ?? [];
  return {
    ...none,
    errorCode: ErrorCode.NONE,
    partitions: partitions.map((_, partitionIndex) => ({
      errorCode: ErrorCode.NONE,
      partitionIndex,
      leaderId: NODE_ID,
      replicaNodes: [NODE_ID],
      isrNodes: [NODE_ID],
    })),
  };
}
