import { ErrorCode } from '../error-codes';
import type { DeleteRecords } from '../protocol/messages/delete-records';
import type { Handler } from './context';

/** DeleteRecords: moves each partition's log start offset up to the given offset (-1 = the high watermark). */
export const handleDeleteRecords: Handler<typeof DeleteRecords> = (req, _ctx, core) => ({
  throttleTimeMs: 0,
  topics: req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => {
      const log = core.topics.log(t.name, p.partitionIndex);
      const answer = (errorCode: number, lowWatermark = -1) => ({
        partitionIndex: p.partitionIndex,
        lowWatermark,
        errorCode,
      });
      if (!log) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      const result = log.deleteRecordsBefore(p.offset);
      return result.ok
        ? answer(ErrorCode.NONE, result.logStartOffset)
        : answer(ErrorCode.OFFSET_OUT_OF_RANGE);
    }),
  })),
});
