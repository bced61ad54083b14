import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { lakePaths } from '../layout';

/** A Bronze file Silver reads: one partition's messages from offset first to last (file relative to the lake). */
export interface BronzeSlice {
  partition: number;
  first: number;
  last: number;
  file: string;
}

/**
 * Silver's progress over one Bronze topic, `_state/silver/<topic>.json` (small, constant size):
 * `watermark` is, per partition, the next Bronze offset Silver has not taken in; `pending` is the step under
 * way (its Bronze slices), written before the step writes any file, so a step a crash cut short is redone
 * with exactly the same slices and so the same file names, replacing its own partial output.
 */
export interface SilverProgress {
  watermark: Record<string, number>;
  pending: { batch: string; slices: BronzeSlice[] } | null;
  /** UTC days Silver changed that Gold has not been refreshed for yet (kept across restarts and crashes). */
  goldDates?: string[];
}

const OFFSETS = /(\d{20})-(\d{20})\.parquet$/;
const PARTITION = /partition=(\d+)/;

export function readSilverProgress(lake: string, topic: string): SilverProgress {
  const file = lakePaths(lake).silverState(topic);
  if (existsSync(file)) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as SilverProgress;
    } catch {
      // A torn write cannot happen (temp + rename); an unreadable file is treated as no progress.
    }
  }
  return { watermark: legacyWatermark(lake, topic), pending: null, goldDates: [] };
}

export function writeSilverProgress(lake: string, topic: string, progress: SilverProgress): void {
  const file = lakePaths(lake).silverState(topic);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(progress));
  renameSync(`${file}.tmp`, file);
}

/** Next offset Silver has not taken in, per partition (0 where it has none). */
export function silverNext(progress: SilverProgress, partition: number): number {
  return progress.watermark[String(partition)] ?? 0;
}

/** Bronze slices at or past the watermark: what Silver has still to take in, in offset order. */
export function slicesToDo(progress: SilverProgress, ranges: BronzeSlice[]): BronzeSlice[] {
  return ranges
    .filter((r) => r.first >= silverNext(progress, r.partition))
    .sort((a, b) => a.partition - b.partition || a.first - b.first);
}

/** The watermark once `slices` are in Silver. */
export function advance(progress: SilverProgress, slices: BronzeSlice[]): Record<string, number> {
  const watermark = { ...progress.watermark };
  for (const s of slices) {
    const key = String(s.partition);
    watermark[key] = Math.max(watermark[key] ?? 0, s.last + 1);
  }
  return watermark;
}

/**
 * Lakes written before the watermark kept a list of Bronze file names (`_state/silver-stream/<topic>.json`):
 * per partition, the end of the highest range listed.
 */
function legacyWatermark(lake: string, topic: string): Record<string, number> {
  const file = join(lakePaths(lake).state, 'silver-stream', `${topic}.json`);
  const watermark: Record<string, number> = {};
  if (!existsSync(file)) return watermark;
  try {
    for (const name of (JSON.parse(readFileSync(file, 'utf8')) as { files: string[] }).files) {
      const offsets = OFFSETS.exec(name);
      const partition = PARTITION.exec(name)?.[1];
      if (!offsets || partition === undefined) continue;
      watermark[partition] = Math.max(watermark[partition] ?? 0, Number(offsets[2]) + 1);
    }
  } catch {
    return {};
  }
  return watermark;
}
