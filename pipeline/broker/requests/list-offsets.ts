import { ErrorCode } from '../error-codes';
import type { ListOffsets } from '../protocol/messages/list-offsets';
import type { Handler } from './context';

const LATEST = -1;
const EARLIEST = -2;

/** Offsets by time: latest (-1), earliest (-2), or the first offset whose timestamp is at or after t. */
export const handleListOffsets: Handler<typeof ListOffsets> = (req, ctx, core) => ({
  throttleTimeMs: 0,
  topics: req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => {
      const log = core.topics.log(t.name, p.partitionIndex);
      const answer = (errorCode: number, offset: number, timestamp: number) => ({
        partitionIndex: p.partitionIndex,
        errorCode,
        oldStyleOffsets: offset >= 0 ? [offset] : [],
        timestamp,
        offset,
        // Unknown, as in Metadata: we keep no leader epochs.
        leaderEpoch: -1,
      });
      if (!log) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, -1, -1);
      if (p.timestamp === LATEST) return answer(ErrorCode.NONE, log.logEndOffset, -1);
      if (p.timestamp === EARLIEST) return answer(ErrorCode.NONE, log.logStartOffset, -1);
      if (p.timestamp < 0) return answer(ErrorCode.INVALID_REQUEST, -1, -1);
      const found = log.offsetForTimestamp(p.timestamp);
      // v0 has no "not found": it answers the log end, as Kafka does.
      if (!found)
        return ctx.version === 0
          ? answer(ErrorCode.NONE, log.logEndOffset, -1)
          : answer(ErrorCode.NONE, -1, -1);
      return answer(ErrorCode.NONE, found.offset, found.timestamp);
    }),
  })),
});
