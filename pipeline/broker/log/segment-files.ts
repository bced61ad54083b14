import { join } from 'node:path';

/** Kafka's on-disk naming: every file of a segment is named by its base offset, zero-padded to 20 digits. */
export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';

/** Leftovers of interrupted Kafka-style operations; always safe to delete on open. */
export const STRAY_SUFFIXES = ['.deleted', '.cleaned', '.swap', '.tmp'] as const;

export type SegmentSuffix = typeof LOG_SUFFIX | typeof INDEX_SUFFIX | typeof TIME_INDEX_SUFFIX;

export function segmentFileName(baseOffset: number, suffix: SegmentSuffix): string {
  return `${String(baseOffset).padStart(20, '0')}${suffix}`;
}

export function segmentPath(dir: string, baseOffset: number, suffix: SegmentSuffix): string {
  return join(dir, segmentFileName(baseOffset, suffix));
}

const SEGMENT_FILE = /^(\d{20})(\.log|\.index|\.timeindex)$/;

export function parseSegmentFileName(name: string): { baseOffset: number; suffix: SegmentSuffix } | null {
  const m = SEGMENT_FILE.exec(name);
  if (!m?.[1] || !m[2]) return null;
  const baseOffset = Number(m[1]);
  if (!Number.isSafeInteger(baseOffset)) return null;
  return { baseOffset, suffix: m[2] as SegmentSuffix };
}
