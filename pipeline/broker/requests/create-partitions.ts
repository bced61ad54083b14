import { ErrorCode } from '../error-codes';
import type { CreatePartitions } from '../protocol/messages/create-partitions';
import type { Handler } from './context';
import { NODE_ID } from './metadata';

/** Kafka's own cap for one CreateTopics; the same keeps a topic's Metadata answer a sane size. */
export const MAX_PARTITIONS = 1000;

/** CreatePartitions: a topic's partition count can only grow; the new partitions start empty. */
export const handleCreatePartitions: Handler<typeof CreatePartitions> = (req, _ctx, core) => ({
  throttleTimeMs: 0,
  results: req.topics.map((t) => {
    const fail = (errorCode: number, errorMessage: string) => ({ name: t.name, errorCode, errorMessage });
    const topic = core.topics.topic(t.name);
    if (!topic) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${t.name}' does not exist.`);
    const current = topic.partitions.length;
    if (t.count === current)
      return fail(ErrorCode.INVALID_PARTITIONS, `Topic already has ${current} partitions.`);
    if (t.count < current) {
      return fail(
        ErrorCode.INVALID_PARTITIONS,
        `Topic currently has ${current} partitions, which is higher than the requested ${t.count}: partitions can only be added.`,
      );
    }
    if (t.count > MAX_PARTITIONS) {
      return fail(
        ErrorCode.INVALID_PARTITIONS,
        `Number of partitions must be at most ${MAX_PARTITIONS}, not ${t.count}.`,
      );
    }
    if (t.assignments !== null) {
      const added = t.count - current;
      if (t.assignments.length !== added) {
        return fail(
          ErrorCode.INVALID_REQUEST,
          `Increasing the number of partitions by ${added} but ${t.assignments.length} assignments provided.`,
        );
      }
      const elsewhere = t.assignments.flatMap((a) => a.brokerIds).find((id) => id !== NODE_ID);
      if (elsewhere !== undefined || t.assignments.some((a) => a.brokerIds.length !== 1)) {
        return fail(
          ErrorCode.INVALID_REPLICATION_FACTOR,
          `This single-node broker is broker ${NODE_ID}: each new partition must be assigned to [${NODE_ID}] alone.`,
        );
      }
    }
    if (!req.validateOnly) core.topics.addPartitions(t.name, t.count);
    return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
  }),
});
