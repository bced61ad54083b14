import { ErrorCode } from '../error-codes';
import type { Produce } from '../protocol/messages/produce';
import type { Handler } from './context';

/**
 * Appends each partition's record batches as produced. On one node, acks=1 and acks=all mean the
 * same: the batch is in the log (see the log's fsync policy) before we answer. acks=0 gets no answer.
 */
export const handleProduce: Handler<typeof Produce> = (req, _ctx, core) => {
  const badAcks = req.acks !== 0 && req.acks !== 1 && req.acks !== -1;
  const transactional = req.transactionalId !== null;
  const responses = req.topicData.map((topic) => ({
    name: topic.name,
    partitionResponses: topic.partitionData.map((p) => {
      const answer = (errorCode: number, baseOffset = -1) => ({
        index: p.index,
        errorCode,
        baseOffset,
        logAppendTimeMs: -1,
        logStartOffset: core.topics.log(topic.name, p.index)?.logStartOffset ?? -1,
        recordErrors: [],
        errorMessage: null,
        currentLeader: { leaderId: -1, leaderEpoch: -1 },
      });
      if (badAcks) return answer(ErrorCode.INVALID_REQUIRED_ACKS);
      // Transactions are not offered by this broker (idempotence is).
      if (transactional) return answer(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
      if (!p.records || p.records.length === 0) return answer(ErrorCode.CORRUPT_MESSAGE);
      const result = core.topics.append(topic.name, p.index, p.records);
      if (!result) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      if (!result.ok) return answer(ErrorCode[result.error]);
      return answer(ErrorCode.NONE, result.baseOffset);
    }),
  }));
  if (req.acks === 0) return null;
  return { responses, throttleTimeMs: 0, nodeEndpoints: [] };
};
