import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogConfig } from '../../../../pipeline/broker/log/partition-log';
import { OffsetOutOfRangeError, PartitionLog } from '../../../../pipeline/broker/log/partition-log';
import { buildValuesBatch, decodeRecords } from '../../../helpers/record-batches';
import { tempDir } from '../../../helpers/temp';

const SMALL: Partial<LogConfig> = {
  segmentBytes: 2048,
  indexIntervalBytes: 256,
  retentionBytes: -1,
  retentionMs: -1,
};
const T0 = 1_700_000_000_000;

let dir: { path: string; remove: () => Promise<void> };
const opened: PartitionLog[] = [];
const logDir = () => join(dir.path, 'topic-0');

function openLog(config: Partial<LogConfig> = SMALL): PartitionLog {
  const log = PartitionLog.open(logDir(), config);
  opened.push(log);
  return log;
}

/** `count` batches of 3 records, batch i at offsets 3i..3i+2 and stamped T0 + 10 i. */
function fill(log: PartitionLog, count: number, from = 0): void {
  for (let i = from; i < from + count; i++) {
    expect(log.append(buildValuesBatch(`b${i}`, 3, { baseTimestamp: T0 + i * 10 }))).toMatchObject({
      ok: true,
    });
  }
}

const logFiles = () => readdirSync(logDir()).filter((f) => f.endsWith('.log'));

beforeEach(async () => {
  dir = await tempDir('clickpulse-delete-records-');
});
afterEach(async () => {
  vi.useRealTimers();
  for (const log of opened.splice(0)) log.close();
  await dir.remove();
});

describe('PartitionLog.deleteRecordsBefore', () => {
  it('moves the start inside a segment, deletes the segments wholly below it, and keeps it across a reopen', () => {
    const log = openLog();
    fill(log, 60);
    const segmentsBefore = log.segmentCount;
    expect(segmentsBefore).toBeGreaterThan(3);
    const result = log.deleteRecordsBefore(100);
    expect(result).toMatchObject({ ok: true, logStartOffset: 100 });
    expect(result.ok && result.deletedSegments).toBeGreaterThan(0);
    expect(log.segmentCount).toBe(segmentsBefore - (result.ok ? result.deletedSegments : 0));
    expect(() => log.read(99, 1000)).toThrow(OffsetOutOfRangeError);
    // Served from the batch that holds 100 (starting at 99); readers skip what is below the start.
    expect(decodeRecords(log.read(100, 1000))[0]?.offset).toBe(99);
    expect(log.offsetForTimestamp(0)).toMatchObject({ offset: 100 });
    log.close();

    const again = openLog();
    expect(again.logStartOffset).toBe(100);
    expect(again.logEndOffset).toBe(180);
    expect(() => again.read(99, 1000)).toThrow(OffsetOutOfRangeError);
  });

  it('answers the current start for an offset at or below it, and refuses one past the end', () => {
    const log = openLog();
    fill(log, 10);
    expect(log.deleteRecordsBefore(12)).toMatchObject({ ok: true, logStartOffset: 12 });
    expect(log.deleteRecordsBefore(5)).toMatchObject({ ok: true, logStartOffset: 12, deletedSegments: 0 });
    expect(log.deleteRecordsBefore(31)).toMatchObject({ ok: false, error: 'OFFSET_OUT_OF_RANGE' });
    expect(log.deleteRecordsBefore(-5)).toMatchObject({ ok: false, error: 'OFFSET_OUT_OF_RANGE' });
    expect(log.logStartOffset).toBe(12);
  });

  it('with -1 (the high watermark) empties the log, freeing its segments, and appends carry on after it', () => {
    const log = openLog();
    fill(log, 40);
    expect(log.deleteRecordsBefore(-1)).toMatchObject({ ok: true, logStartOffset: 120 });
    expect(log.segmentCount).toBe(1);
    expect(logFiles()).toEqual(['00000000000000000120.log']);
    expect(log.sizeBytes).toBe(0);
    expect(log.append(buildValuesBatch('after', 2, { baseTimestamp: T0 }))).toMatchObject({
      ok: true,
      baseOffset: 120,
    });
    log.close();
    expect(openLog().logStartOffset).toBe(120);
  });

  it('retention deleting past a stored start leaves the start at the first segment', () => {
    const log = openLog();
    fill(log, 60);
    log.deleteRecordsBefore(4);
    log.reconfigure({ retentionBytes: 2048 });
    expect(log.applyRetention(T0).deletedSegments).toBeGreaterThan(0);
    expect(log.logStartOffset).toBeGreaterThan(4);
    expect(log.logStartOffset % 3).toBe(0);
  });
});

describe('PartitionLog.reconfigure and segment.ms', () => {
  it('rolls a segment whose first batch is older than segmentMs, not before', () => {
    vi.useFakeTimers({ now: T0, toFake: ['Date'] });
    const log = openLog({ ...SMALL, segmentBytes: 1 << 20, segmentMs: 60_000 });
    fill(log, 3);
    vi.setSystemTime(T0 + 59_000);
    fill(log, 1, 3);
    expect(log.segmentCount).toBe(1);
    vi.setSystemTime(T0 + 61_000);
    fill(log, 1, 4);
    expect(log.segmentCount).toBe(2);
    log.reconfigure({ segmentMs: 1000 });
    vi.setSystemTime(T0 + 62_500);
    fill(log, 1, 5);
    expect(log.segmentCount).toBe(3);
    expect(log.config.segmentMs).toBe(1000);
  });

  it('refuses settings the log cannot honour', () => {
    const log = openLog();
    expect(() => log.reconfigure({ segmentBytes: 0 })).toThrow(/segmentBytes/);
    expect(log.config.segmentBytes).toBe(2048);
  });
});
