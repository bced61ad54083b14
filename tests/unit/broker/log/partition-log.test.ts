import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogConfig } from '../../../../pipeline/broker/log/partition-log';
import {
  DEFAULT_LOG_CONFIG,
  OffsetOutOfRangeError,
  PartitionLog,
} from '../../../../pipeline/broker/log/partition-log';
import {
  batchBaseOffsets,
  buildBatch,
  buildMagicOneMessage,
  buildValuesBatch,
  decodeRecords,
} from '../../../helpers/record-batches';
import { tempDir } from '../../../helpers/temp';

const SMALL: Partial<LogConfig> = {
  segmentBytes: 2048,
  indexIntervalBytes: 256,
  retentionBytes: -1,
  retentionMs: -1,
};
const T0 = 1_700_000_000_000;

let dir: { path: string; remove: () => Promise<void> };
const open: PartitionLog[] = [];

function openLog(config: Partial<LogConfig> = SMALL): PartitionLog {
  const log = PartitionLog.open(join(dir.path, 'topic-0'), config);
  open.push(log);
  return log;
}

/** Appends `count` batches of 3 records, batch i timestamped T0 + i * 10. */
function fill(log: PartitionLog, count: number, from = 0): void {
  for (let i = from; i < from + count; i++) {
    const result = log.append(buildValuesBatch(`b${i}`, 3, { baseTimestamp: T0 + i * 10 }));
    expect(result).toMatchObject({ ok: true, baseOffset: i * 3 });
  }
}

/** Every record from `offset` to the end, read in fetch-sized pieces. */
function readAll(
  log: PartitionLog,
  offset = log.logStartOffset,
  maxBytes = 1000,
): ReturnType<typeof decodeRecords> {
  const out: ReturnType<typeof decodeRecords> = [];
  let next = offset;
  while (next < log.logEndOffset) {
    const records = decodeRecords(log.read(next, maxBytes)).filter((r) => r.offset >= next);
    expect(records.length).toBeGreaterThan(0);
    out.push(...records);
    next = (records[records.length - 1]?.offset ?? next) + 1;
  }
  return out;
}

beforeEach(async () => {
  dir = await tempDir('clickpulse-log-');
});

afterEach(async () => {
  for (const log of open.splice(0)) log.close();
  await dir.remove();
});

describe('PartitionLog', () => {
  it('exports laptop-sized defaults', () => {
    expect(DEFAULT_LOG_CONFIG).toMatchObject({
      segmentBytes: 64 * 1024 * 1024,
      retentionBytes: 1024 * 1024 * 1024,
      retentionMs: 7 * 24 * 3600 * 1000,
      indexIntervalBytes: 4096,
      flush: 'interval',
      flushIntervalMs: 1000,
    });
  });

  it('starts empty with Kafka-named segment files', () => {
    const log = openLog();
    expect([log.logStartOffset, log.logEndOffset, log.sizeBytes, log.segmentCount]).toEqual([0, 0, 0, 1]);
    expect(readdirSync(join(dir.path, 'topic-0')).sort()).toEqual([
      '00000000000000000000.index',
      '00000000000000000000.log',
      '00000000000000000000.timeindex',
    ]);
    expect(log.read(0, 100)).toHaveLength(0);
    expect(log.recovery).toMatchObject({ truncatedBytes: 0, rebuiltIndexes: 0, lastOffset: -1 });
  });

  it('round-trips many batches across segment rolls, reading from any offset', () => {
    const log = openLog();
    fill(log, 120);
    expect(log.logEndOffset).toBe(360);
    expect(log.segmentCount).toBeGreaterThan(4);
    const records = readAll(log);
    expect(records.map((r) => r.offset)).toEqual(Array.from({ length: 360 }, (_, i) => i));
    expect(records[100]).toMatchObject({ offset: 100, key: 'k1', value: 'b33-1' });
    // Every offset, including the middle of a batch, starts at the batch that contains it.
    for (let offset = 0; offset < 360; offset++) {
      const first = batchBaseOffsets(log.read(offset, 1))[0];
      expect(first).toBe(offset - (offset % 3));
    }
    const files = readdirSync(join(dir.path, 'topic-0'));
    expect(files.filter((f) => f.endsWith('.log'))).toHaveLength(log.segmentCount);
  });

  it('respects maxBytes in whole batches but always returns at least one batch', () => {
    const log = openLog({ ...SMALL, segmentBytes: 1 << 20 });
    fill(log, 10);
    const one = log.read(0, 1).length;
    expect(batchBaseOffsets(log.read(0, 1))).toEqual([0]);
    expect(batchBaseOffsets(log.read(0, one))).toEqual([0]);
    expect(batchBaseOffsets(log.read(0, 2 * one + one - 1))).toEqual([0, 3]);
    expect(batchBaseOffsets(log.read(4, 3 * one))).toEqual([3, 6, 9]);
    expect(batchBaseOffsets(log.read(0, 1 << 20))).toHaveLength(10);
    expect(log.read(30, 100)).toHaveLength(0);
  });

  it('refuses offsets outside [logStartOffset, logEndOffset]', () => {
    const log = openLog();
    fill(log, 2);
    expect(() => log.read(7, 100)).toThrow(OffsetOutOfRangeError);
    expect(() => log.read(-1, 100)).toThrow(/outside the log/);
    try {
      log.read(99, 10);
    } catch (err) {
      expect(err).toMatchObject({ code: 'OFFSET_OUT_OF_RANGE', logStartOffset: 0, logEndOffset: 6 });
    }
  });

  it('writes a sparse offset index and time index', () => {
    const log = openLog({ ...SMALL, segmentBytes: 1 << 20, indexIntervalBytes: 300 });
    fill(log, 50);
    const index = statSync(join(dir.path, 'topic-0', '00000000000000000000.index')).size;
    const timeIndex = statSync(join(dir.path, 'topic-0', '00000000000000000000.timeindex')).size;
    const batchBytes = log.sizeBytes / 50;
    expect(index / 8).toBeGreaterThan(5);
    expect(index / 8).toBeLessThan(50);
    expect(index / 8).toBeCloseTo(Math.floor(log.sizeBytes / (300 + batchBytes)), -1);
    expect(timeIndex / 12).toBe(index / 8);
  });

  it('finds the earliest batch at or after a timestamp', () => {
    const log = openLog();
    fill(log, 80);
    expect(log.offsetForTimestamp(0)).toEqual({ offset: 0, timestamp: T0 });
    expect(log.offsetForTimestamp(T0 + 55)).toEqual({ offset: 18, timestamp: T0 + 60 });
    expect(log.offsetForTimestamp(T0 + 600)).toEqual({ offset: 180, timestamp: T0 + 600 });
    expect(log.offsetForTimestamp(T0 + 790)).toEqual({ offset: 237, timestamp: T0 + 790 });
    expect(log.offsetForTimestamp(T0 + 791)).toBeNull();
    log.close();
    const reopened = openLog();
    expect(reopened.offsetForTimestamp(T0 + 555)).toEqual({ offset: 168, timestamp: T0 + 560 });
  });

  it('answers a timestamp lookup at record granularity when the batch is uncompressed', () => {
    const log = openLog();
    const records = [
      { value: 'a', timestamp: T0 + 100 },
      { value: 'b', timestamp: T0 + 300 },
      { value: 'c', timestamp: T0 + 200 },
    ];
    log.append(buildBatch(records, { baseTimestamp: T0 + 100 }));
    expect(log.offsetForTimestamp(T0 + 150)).toEqual({ offset: 1, timestamp: T0 + 300 });
    expect(log.offsetForTimestamp(T0 + 100)).toEqual({ offset: 0, timestamp: T0 + 100 });
    // Flagged gzip: the broker does not decompress, so it answers the batch.
    const later = records.map((r) => ({ ...r, timestamp: r.timestamp + 1000 }));
    log.append(buildBatch(later, { baseTimestamp: T0 + 1100, attributes: 1 }));
    expect(log.offsetForTimestamp(T0 + 1150)).toEqual({ offset: 3, timestamp: T0 + 1300 });
  });

  it('applies size retention to whole old segments and moves logStartOffset', () => {
    const log = openLog({ ...SMALL, retentionBytes: 5000 });
    fill(log, 100);
    const before = log.sizeBytes;
    const { deletedSegments, deletedBytes } = log.applyRetention(T0);
    expect(deletedSegments).toBeGreaterThan(0);
    expect(log.sizeBytes).toBe(before - deletedBytes);
    expect(log.sizeBytes).toBeGreaterThanOrEqual(5000);
    expect(log.sizeBytes).toBeLessThan(5000 + 2048);
    expect(log.logStartOffset).toBeGreaterThan(0);
    expect(log.logEndOffset).toBe(300);
    expect(() => log.read(log.logStartOffset - 1, 100)).toThrow(OffsetOutOfRangeError);
    expect(readAll(log)[0]?.offset).toBe(log.logStartOffset);
    expect(log.applyRetention(T0)).toEqual({ deletedSegments: 0, deletedBytes: 0 });
    log.close();
    expect(openLog().logStartOffset).toBe(log.logStartOffset);
  });

  it('applies age retention by each segment’s newest timestamp', () => {
    const day = 24 * 3600 * 1000;
    const log = openLog({ ...SMALL, retentionMs: 7 * day });
    const now = T0 + 30 * day;
    for (let i = 0; i < 40; i++)
      log.append(buildValuesBatch(`old${i}`, 3, { baseTimestamp: now - 10 * day }));
    const oldEnd = log.logEndOffset;
    for (let i = 0; i < 40; i++) log.append(buildValuesBatch(`new${i}`, 3, { baseTimestamp: now - day }));
    const result = log.applyRetention(now);
    expect(result.deletedSegments).toBeGreaterThan(0);
    // Only segments holding nothing but old batches go: the one where old meets new stays.
    expect(log.logStartOffset).toBeLessThanOrEqual(oldEnd);
    expect(log.logStartOffset).toBeGreaterThan(0);
    expect(readAll(log).some((r) => r.value?.startsWith('new'))).toBe(true);

    // Once everything is old, the active segment is rolled so it can go too.
    const later = now + 30 * day;
    log.applyRetention(later);
    expect(log.logStartOffset).toBe(log.logEndOffset);
    expect(log.segmentCount).toBe(1);
    expect(log.sizeBytes).toBe(0);
    expect(log.append(buildValuesBatch('after', 1))).toMatchObject({ ok: true, baseOffset: 240 });
  });

  it('reopens with identical data', () => {
    const log = openLog();
    fill(log, 60);
    const all = log.read(0, 1 << 20);
    const chunks: Buffer[] = [];
    for (let next = 0; next < log.logEndOffset;) {
      const chunk = log.read(next, 1 << 20);
      chunks.push(chunk);
      const bases = batchBaseOffsets(chunk);
      next = (bases[bases.length - 1] ?? 0) + 3;
    }
    log.close();
    const reopened = openLog();
    expect(reopened.recovery).toEqual({
      truncatedBytes: 0,
      rebuiltIndexes: 0,
      lastOffset: 179,
      truncations: [],
      deletedStrayFiles: [],
    });
    expect(reopened.logEndOffset).toBe(180);
    expect(reopened.read(0, 1 << 20).equals(all)).toBe(true);
    const again: Buffer[] = [];
    for (let next = 0; next < reopened.logEndOffset;) {
      const chunk = reopened.read(next, 1 << 20);
      again.push(chunk);
      const bases = batchBaseOffsets(chunk);
      next = (bases[bases.length - 1] ?? 0) + 3;
    }
    expect(Buffer.concat(again).equals(Buffer.concat(chunks))).toBe(true);
    fill(reopened, 5, 60);
    expect(readAll(reopened)).toHaveLength(195);
  });

  it('refuses corrupt batches and legacy formats with the specific error, appending nothing', () => {
    const log = openLog();
    fill(log, 1);
    const bad = buildValuesBatch('x', 2);
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0x01;
    expect(log.append(bad)).toMatchObject({ ok: false, error: 'CORRUPT_MESSAGE', message: /CRC/ });
    expect(log.append(buildMagicOneMessage('legacy'))).toMatchObject({
      ok: false,
      error: 'UNSUPPORTED_FOR_MESSAGE_FORMAT',
    });
    expect(log.append(Buffer.concat([buildValuesBatch('ok', 1), bad]))).toMatchObject({
      ok: false,
      error: 'CORRUPT_MESSAGE',
    });
    expect(log.append(buildValuesBatch('c', 1, { attributes: 0x20 }))).toMatchObject({
      ok: false,
      error: 'INVALID_RECORD',
    });
    expect(log.append(Buffer.alloc(0))).toMatchObject({ ok: false, error: 'INVALID_RECORD' });
    const tight = openLogAt('tight', { maxMessageBytes: 200 });
    expect(tight.append(buildValuesBatch('y'.repeat(300), 1))).toMatchObject({
      ok: false,
      error: 'MESSAGE_TOO_LARGE',
    });
    expect(log.logEndOffset).toBe(3);
  });

  it('appends all batches of one call, giving them consecutive offsets', () => {
    const log = openLog();
    const result = log.append(Buffer.concat([buildValuesBatch('a', 2), buildValuesBatch('b', 4)]));
    expect(result).toEqual({ ok: true, baseOffset: 0, logAppendTimeMs: -1 });
    expect(batchBaseOffsets(log.read(0, 1 << 20))).toEqual([0, 2]);
    expect(readAll(log).map((r) => r.value)).toEqual(['a-0', 'a-1', 'b-0', 'b-1', 'b-2', 'b-3']);
  });

  it('fsyncs every append with flush: batch and removes everything on deleteAll', () => {
    const log = openLog({ ...SMALL, flush: 'batch' });
    fill(log, 30);
    log.flush();
    log.deleteAll();
    expect(existsSync(join(dir.path, 'topic-0'))).toBe(false);
    expect(() => log.read(0, 10)).toThrow(/closed/);
  });

  it('stores batches byte for byte except the base offset', () => {
    const log = openLog();
    fill(log, 1);
    const original = buildBatch([{ key: 'k', value: 'v', headers: [{ key: 'h', value: 'x' }] }], {
      baseTimestamp: T0,
    });
    log.append(original);
    const stored = log.read(3, 1000);
    expect(stored.subarray(8).equals(original.subarray(8))).toBe(true);
    expect(batchBaseOffsets(stored)).toEqual([3]);
  });
});

function openLogAt(name: string, config: Partial<LogConfig>): PartitionLog {
  const log = PartitionLog.open(join(dir.path, name), config);
  open.push(log);
  return log;
}
