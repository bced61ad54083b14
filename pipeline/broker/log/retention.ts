import type { LogConfig } from './config';

/** What retention needs to know about a segment, oldest first; the last one is the active segment. */
export interface RetentionCandidate {
  size: number;
  /** Largest batch timestamp, -1 when none: then the file's modification time stands in, as in Kafka. */
  maxTimestamp: number;
  isEmpty: boolean;
  lastModifiedMs(): number;
}

export interface RetentionPlan {
  /** How many of the oldest segments to delete. */
  deleteCount: number;
  /**
   * The active segment itself is past retentionMs: roll first so it becomes deletable. Without this a
   * quiet partition would keep week-old data forever in a segment that never fills up (Kafka does the same).
   */
  rollActiveFirst: boolean;
}

/**
 * Kafka's rules: by age, delete the oldest segments for as long as each one's newest record is older than
 * retentionMs; by size, delete the oldest segments for as long as what is left stays at or above
 * retentionBytes. Both only ever delete a prefix, so the plan is the longer of the two prefixes.
 */
export function planRetention(
  segments: readonly RetentionCandidate[],
  config: Pick<LogConfig, 'retentionBytes' | 'retentionMs'>,
  nowMs: number,
): RetentionPlan {
  const activeIndex = segments.length - 1;
  let byAge = 0;
  let rollActiveFirst = false;
  if (config.retentionMs >= 0) {
    const expired = (s: RetentionCandidate): boolean =>
      nowMs - (s.maxTimestamp >= 0 ? s.maxTimestamp : s.lastModifiedMs()) > config.retentionMs;
    while (byAge < activeIndex && segments[byAge] && expired(segments[byAge] as RetentionCandidate)) byAge++;
    const active = segments[activeIndex];
    if (byAge === activeIndex && active && !active.isEmpty && expired(active)) rollActiveFirst = true;
  }
  let bySize = 0;
  if (config.retentionBytes >= 0) {
    let excess = segments.reduce((n, s) => n + s.size, 0) - config.retentionBytes;
    while (bySize < activeIndex) {
      const size = segments[bySize]?.size ?? 0;
      if (excess - size < 0) break;
      excess -= size;
      bySize++;
    }
  }
  return rollActiveFirst
    ? { deleteCount: activeIndex + 1, rollActiveFirst }
    : { deleteCount: Math.max(byAge, bySize), rollActiveFirst };
}
