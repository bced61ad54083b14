import { ErrorCode } from '../error-codes';
import type { Fetch } from '../protocol/messages/fetch';
import type { RequestOf, ResponseOf } from '../protocol/api';
import type { BrokerCore, Handler } from './context';
import { partitionKey } from './fetch-waiters';

type FetchRequest = RequestOf<typeof Fetch>;
type FetchResponse = ResponseOf<typeof Fetch>;

const EMPTY: Buffer = Buffer.alloc(0);

/**
 * Reads what each partition has from its fetch offset, within the partition and request byte limits
 * (KIP-74: the first batch of the first non-empty partition is returned even if it is larger, so a
 * consumer never gets stuck). Parks the request until minBytes are there or maxWait passes.
 */
export const handleFetch: Handler<typeof Fetch> = async (req, ctx, core) => {
  if (req.sessionEpoch > 0 || req.sessionId !== 0) {
    // We never create incremental fetch sessions (we answer sessionId 0), so none can be continued.
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
      sessionId: 0,
      responses: [],
    };
  }
  const deadline = Date.now() + Math.max(0, req.maxWaitMs);
  const keys = new Set(
    req.topics.flatMap((t) => t.partitions.map((p) => partitionKey(t.topic, p.partition))),
  );
  for (;;) {
    const { response, bytes, failed } = collect(req, core);
    const left = deadline - Date.now();
    if (
      bytes >= req.minBytes ||
      (bytes > 0 && req.minBytes <= 0) ||
      failed ||
      left <= 0 ||
      ctx.signal.aborted
    ) {
      return response;
    }
    await core.fetchWaiters.wait(keys, left, ctx.signal);
  }
};

function collect(
  req: FetchRequest,
  core: BrokerCore,
): { response: FetchResponse; bytes: number; failed: boolean } {
  let budget = req.maxBytes;
  let bytes = 0;
  let failed = false;
  const responses = req.topics.map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p) => {
      const log = core.topics.log(t.topic, p.partition);
      const base = {
        partitionIndex: p.partition,
        highWatermark: log?.logEndOffset ?? -1,
        lastStableOffset: log?.logEndOffset ?? -1,
        logStartOffset: log?.logStartOffset ?? -1,
        abortedTransactions: [],
        preferredReadReplica: -1,
      };
      if (!log) {
        failed = true;
        return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, records: EMPTY };
      }
      if (p.fetchOffset < log.logStartOffset || p.fetchOffset > log.logEndOffset) {
        failed = true;
        return { ...base, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, records: EMPTY };
      }
      const limit = Math.min(p.partitionMaxBytes, budget);
      let records: Buffer = EMPTY;
      if (p.fetchOffset < log.logEndOffset && (limit > 0 || bytes === 0)) {
        records = log.read(p.fetchOffset, Math.max(1, limit));
        // Only the very first batch of the response may exceed the limits.
        if (bytes > 0 && records.length > limit) records = EMPTY;
      }
      bytes += records.length;
      budget -= records.length;
      return { ...base, errorCode: ErrorCode.NONE, records };
    }),
  }));
  return {
    response: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses },
    bytes,
    failed,
  };
}
