import type { StreamOptions, StreamStatus } from '../contract';

/**
 * A lake stream's status before its first batch. Its own file, so the worker's host on the calling thread
 * can show it without loading the stream itself (DuckDB, kafkajs).
 */
export function emptyStreamStatus(
  state: StreamStatus['state'],
  lake: string,
  options: Pick<StreamOptions, 'topic' | 'groupId'> & { refine?: boolean },
  bootstrap: string,
): StreamStatus {
  return {
    state,
    lake,
    topic: options.topic,
    groupId: options.groupId,
    bootstrap,
    refine: options.refine !== false,
    startedAt: null,
    partitions: [],
    bronze: { rows: 0, rowsPerSecond: 0, lastFlushAt: null, files: 0 },
    silver: { rows: 0, rowsPerSecond: 0, lastFlushAt: null, files: 0, quarantined: 0 },
    gold: { lastFlushAt: null, tables: 0 },
    freshness: {
      bronzeSeconds: null,
      goldSeconds: null,
      bronzeP50: null,
      bronzeP95: null,
      goldP50: null,
      goldP95: null,
    },
    bottleneck: null,
    lostMessages: 0,
    warnings: [],
    lastError: null,
  };
}
