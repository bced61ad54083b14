import { mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { LogConfig } from './config';
import type { ProducerState } from './producer-state';
import type { BatchLocation } from './segment';
import { Segment } from './segment';
import { LOG_SUFFIX, STRAY_SUFFIXES, parseSegmentFileName } from './segment-files';

export interface Truncation {
  segmentBaseOffset: number;
  /** First offset that was dropped. */
  fromOffset: number;
  bytes: number;
  reason: string;
}

export interface RecoveryReport {
  /** Bytes of torn or corrupt data dropped (including whole segments after a corrupt one). */
  truncatedBytes: number;
  /** Index files (.index or .timeindex) that were missing or disagreed with the log and were rewritten. */
  rebuiltIndexes: number;
  /** Last offset in the log after recovery, -1 when empty. */
  lastOffset: number;
  truncations: Truncation[];
  deletedStrayFiles: string[];
}

/**
 * Opens every segment of a partition directory and makes the log trustworthy again:
 *  - the last segment (the only one that can be torn: rolled segments were fsynced) and any segment whose
 *    index is missing is read whole and every batch's CRC-32C checked;
 *  - every segment's batch headers are walked, checking the framing and that offsets follow each other;
 *  - at the first bad batch the segment is cut there and any later segment deleted (their offsets would no
 *    longer follow), so a corrupt batch is never served;
 *  - both indexes of every segment are recomputed from that walk and rewritten where they differ;
 *  - files left by interrupted operations, and indexes without a log, are deleted. Other files are left alone.
 * The same walk feeds the idempotent-producer state.
 */
export function recoverPartition(
  dir: string,
  config: LogConfig,
  producers: ProducerState,
): { segments: Segment[]; report: RecoveryReport } {
  mkdirSync(dir, { recursive: true });
  const report: RecoveryReport = {
    truncatedBytes: 0,
    rebuiltIndexes: 0,
    lastOffset: -1,
    truncations: [],
    deletedStrayFiles: [],
  };
  const bases = listSegments(dir, report);
  const segments: Segment[] = [];
  for (let i = 0; i < bases.length; i++) {
    const { segment, indexMissing } = Segment.openExisting(dir, bases[i] ?? 0, config.indexIntervalBytes);
    const previous = segments[segments.length - 1];
    if (previous && segment.baseOffset < previous.nextOffset) {
      // Overlaps the previous segment: offsets would repeat. Everything from here on goes.
      const reason = `segment ${segment.baseOffset} overlaps the previous one, which ends at ${previous.nextOffset}`;
      report.truncatedBytes += segment.size;
      report.truncations.push({
        segmentBaseOffset: segment.baseOffset,
        fromOffset: previous.nextOffset,
        bytes: segment.size,
        reason,
      });
      segment.delete();
      dropSegments(
        bases.slice(i + 1),
        dir,
        config,
        report,
        'follows an overlapping segment',
        previous.nextOffset,
      );
      break;
    }
    const isLast = i === bases.length - 1;
    const batches: BatchLocation[] = [];
    let expected = segment.baseOffset;
    const outcome = segment.scan(isLast || indexMissing, ({ header, position, size }) => {
      if (header.baseOffset !== expected) {
        return `batch at byte ${position} has offset ${header.baseOffset}, expected ${expected}`;
      }
      const lastOffset = header.baseOffset + header.lastOffsetDelta;
      batches.push({
        baseOffset: header.baseOffset,
        lastOffset,
        maxTimestamp: header.maxTimestamp,
        position,
        size,
      });
      producers.record(header, header.baseOffset);
      expected = lastOffset + 1;
      return null;
    });
    let endsHere = isLast;
    if (outcome.problem !== null) {
      const bytes = segment.size - outcome.validEnd;
      segment.truncateTo(outcome.validEnd);
      report.truncatedBytes += bytes;
      report.truncations.push({
        segmentBaseOffset: segment.baseOffset,
        fromOffset: expected,
        bytes,
        reason: outcome.problem,
      });
      if (!isLast) {
        dropSegments(bases.slice(i + 1), dir, config, report, 'follows a truncated segment', expected);
        endsHere = true;
      }
    }
    report.rebuiltIndexes += segment.rebuildIndexes(batches, !endsHere);
    if (!endsHere) segment.close();
    segments.push(segment);
    if (endsHere) break;
  }
  if (segments.length === 0) segments.push(Segment.create(dir, 0, config.indexIntervalBytes));
  const active = segments[segments.length - 1];
  active?.activate();
  report.lastOffset = (active?.nextOffset ?? 0) - 1;
  return { segments, report };
}

/** Segment base offsets in order; deletes stray files on the way. */
function listSegments(dir: string, report: RecoveryReport): number[] {
  const entries = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile());
  const logs = new Set<number>();
  for (const e of entries) {
    const parsed = parseSegmentFileName(e.name);
    if (parsed?.suffix === LOG_SUFFIX) logs.add(parsed.baseOffset);
  }
  for (const e of entries) {
    const parsed = parseSegmentFileName(e.name);
    const orphanIndex = parsed !== null && parsed.suffix !== LOG_SUFFIX && !logs.has(parsed.baseOffset);
    const leftover = STRAY_SUFFIXES.some((suffix) => e.name.endsWith(suffix));
    if (orphanIndex || leftover) {
      unlinkSync(join(dir, e.name));
      report.deletedStrayFiles.push(e.name);
    }
  }
  return [...logs].sort((a, b) => a - b);
}

function dropSegments(
  bases: readonly number[],
  dir: string,
  config: LogConfig,
  report: RecoveryReport,
  reason: string,
  fromOffset: number,
): void {
  for (const base of bases) {
    const { segment } = Segment.openExisting(dir, base, config.indexIntervalBytes);
    report.truncatedBytes += segment.size;
    report.truncations.push({ segmentBaseOffset: base, fromOffset, bytes: segment.size, reason });
    segment.delete();
  }
}
