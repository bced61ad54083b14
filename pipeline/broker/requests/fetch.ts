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
      nodeEndpoints: [],
    };
  }
  const deadline = Date.now() + Math.max(0, req.maxWaitMs);
  // From v13 topics come by id; an unknown id leaves the name null and its partitions answer UNKNOWN_TOPIC_ID.
  const names = req.topics.map((t) =>
    ctx.version >= 13 ? (core.topics.nameOf(t.topicId) ?? null) : t.topic,
  );
  const keys = new Set(
    req.topics.flatMap((t, i) =>
      names[i] === null ? [] : t.partitions.map((p) => partitionKey(names[i] as string, p.partition)),
    ),
  );
  for (;;) {
    const { response, bytes, failed } = collect(req, names, core);
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

/** The tagged fields of a partition's answer at their defaults, so they stay off the wire. */
const NO_LEADER_CHANGE = {
  divergingEpoch: { epoch: -1, endOffset: -1 },
  currentLeader: { leaderId: -1, leaderEpoch: -1 },
  snapshotId: { endOffset: -1, epoch: -1 },
};

function collect(
  req: FetchRequest,
  names: (string | null)[],
  core: BrokerCore,
): { response: FetchResponse; bytes: number; failed: boolean } {
  let budget = req.maxBytes;
  let bytes = 0;
  let failed = false;
  const responses = req.topics.map((t, i) => ({
    topic: names[i] ?? '',
    topicId: t.topicId,
    partitions: t.partitions.map((p) => {
      const name = names[i] ?? null;
      const log = name === null ? undefined : core.topics.log(name, p.partition);
      const base = {
        partitionIndex: p.partition,
        highWatermark: log?.logEndOffset ?? -1,
        lastStableOffset: log?.logEndOffset ?? -1,
        logStartOffset: log?.logStartOffset ?? -1,
        ...NO_LEADER_CHANGE,
        abortedTransactions: [],
        preferredReadReplica: -1,
      };
      if (!log) {
        failed = true;
        const errorCode = name === null ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        return { ...base, errorCode, records: EMPTY };
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
    response: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses, nodeEndpoints: [] },
    bytes,
    failed,
  };
}
