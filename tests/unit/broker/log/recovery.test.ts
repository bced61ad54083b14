import {
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogConfig } from '../../../../pipeline/broker/log/partition-log';
import { PartitionLog } from '../../../../pipeline/broker/log/partition-log';
import { batchBaseOffsets, buildValuesBatch, decodeRecords } from '../../../helpers/record-batches';
import { tempDir } from '../../../helpers/temp';

const SMALL: Partial<LogConfig> = {
  segmentBytes: 2048,
  indexIntervalBytes: 256,
  retentionBytes: -1,
  retentionMs: -1,
};

let dir: { path: string; remove: () => Promise<void> };
let logDir: string;
const open: PartitionLog[] = [];

function openLog(): PartitionLog {
  const log = PartitionLog.open(logDir, SMALL);
  open.push(log);
  return log;
}

/** A closed log of `count` 3-record batches (offsets 0..3*count-1), spread over several segments. */
function writeLog(count: number): { batchSize: number; segments: number } {
  const log = openLog();
  for (let i = 0; i < count; i++) log.append(buildValuesBatch(`b${String(i).padStart(3, '0')}`, 3));
  const batchSize = log.read(0, 1).length;
  const segments = log.segmentCount;
  log.close();
  return { batchSize, segments };
}

function files(suffix: string): string[] {
  return readdirSync(logDir)
    .filter((f) => f.endsWith(suffix))
    .sort();
}

function lastLogFile(): string {
  const logs = files('.log');
  return join(logDir, logs[logs.length - 1] ?? '');
}

function allValues(log: PartitionLog): string[] {
  const out: string[] = [];
  let next = log.logStartOffset;
  while (next < log.logEndOffset) {
    const records = decodeRecords(log.read(next, 1 << 20));
    out.push(...records.map((r) => r.value ?? ''));
    next = (records[records.length - 1]?.offset ?? next) + 1;
  }
  return out;
}

beforeEach(async () => {
  dir = await tempDir('clickpulse-recovery-');
  logDir = join(dir.path, 'topic-0');
});

afterEach(async () => {
  for (const log of open.splice(0)) log.close();
  await dir.remove();
});

describe('PartitionLog recovery', () => {
  it('cuts a torn last segment at the last whole batch and appends after it', () => {
    const { batchSize } = writeLog(40);
    const path = lastLogFile();
    const size = statSync(path).size;
    truncateSync(path, size - 10);
    const log = openLog();
    expect(log.recovery.truncatedBytes).toBe(batchSize - 10);
    expect(log.recovery.lastOffset).toBe(116);
    expect(log.recovery.truncations[0]).toMatchObject({ fromOffset: 117, bytes: batchSize - 10 });
    expect(log.logEndOffset).toBe(117);
    expect(statSync(path).size).toBe(size - batchSize);
    expect(log.append(buildValuesBatch('again', 2))).toMatchObject({ ok: true, baseOffset: 117 });
    const values = allValues(log);
    expect(values).toHaveLength(119);
    expect(values.slice(-3)).toEqual(['b038-2', 'again-0', 'again-1']);
  });

  it('cuts a torn header too', () => {
    writeLog(10);
    const path = lastLogFile();
    writeFileSync(path, Buffer.alloc(20, 7), { flag: 'a' });
    const log = openLog();
    expect(log.recovery.truncatedBytes).toBe(20);
    expect(log.logEndOffset).toBe(30);
  });

  it('drops a batch whose CRC no longer matches, and everything after it', () => {
    const { batchSize } = writeLog(45);
    const path = lastLogFile();
    const bytes = readFileSync(path);
    expect(bytes.length).toBeGreaterThanOrEqual(3 * batchSize);
    const firstBad = bytes.length - 2 * batchSize;
    bytes[firstBad + 70] = (bytes[firstBad + 70] ?? 0) ^ 0x40;
    writeFileSync(path, bytes);
    const log = openLog();
    expect(log.recovery.truncatedBytes).toBe(2 * batchSize);
    expect(log.recovery.truncations[0]?.reason).toMatch(/CRC/);
    expect(log.logEndOffset).toBe(129);
    expect(allValues(log)).toHaveLength(129);
  });

  it('drops a batch whose base offset (outside the CRC) breaks the sequence', () => {
    const { batchSize } = writeLog(10);
    const path = lastLogFile();
    const bytes = readFileSync(path);
    bytes.writeBigInt64BE(999n, bytes.length - batchSize);
    writeFileSync(path, bytes);
    const log = openLog();
    expect(log.recovery.truncations[0]?.reason).toMatch(/expected 27/);
    expect(log.logEndOffset).toBe(27);
  });

  it('rebuilds deleted index files and serves reads through them', () => {
    writeLog(60);
    const indexes = files('.index');
    const timeIndexes = files('.timeindex');
    const contents = [...indexes, ...timeIndexes].map((f) => readFileSync(join(logDir, f)));
    for (const f of [...indexes, ...timeIndexes]) unlinkSync(join(logDir, f));
    const log = openLog();
    expect(log.recovery.rebuiltIndexes).toBe(indexes.length + timeIndexes.length);
    expect(log.recovery.truncatedBytes).toBe(0);
    expect([...indexes, ...timeIndexes].map((f) => readFileSync(join(logDir, f)))).toEqual(contents);
    expect(allValues(log)).toHaveLength(180);
    expect(batchBaseOffsets(log.read(100, 1))).toEqual([99]);
    expect(log.offsetForTimestamp(0)).toEqual({ offset: 0, timestamp: 1_700_000_000_000 });
  });

  it('rewrites an index that disagrees with its log', () => {
    writeLog(60);
    const index = join(logDir, files('.index')[0] ?? '');
    writeFileSync(index, Buffer.alloc(16, 0xff));
    const log = openLog();
    expect(log.recovery.rebuiltIndexes).toBe(1);
    expect(statSync(index).size).not.toBe(16);
    expect(batchBaseOffsets(log.read(40, 1))).toEqual([39]);
  });

  it('drops later segments when an older one turns out torn', () => {
    const { segments } = writeLog(60);
    expect(segments).toBeGreaterThan(2);
    const first = join(logDir, files('.log')[0] ?? '');
    truncateSync(first, statSync(first).size - 5);
    unlinkSync(join(logDir, files('.index')[0] ?? ''));
    const log = openLog();
    expect(log.segmentCount).toBe(1);
    expect(log.recovery.truncations.length).toBe(segments);
    expect(log.append(buildValuesBatch('next', 1)).ok).toBe(true);
    expect(allValues(log).at(-1)).toBe('next-0');
  });

  it('drops a segment that overlaps the one before it', () => {
    const { segments } = writeLog(60);
    expect(segments).toBeGreaterThan(2);
    const logs = files('.log');
    const last = logs[logs.length - 1] ?? '';
    const lastBase = Number(last.slice(0, 20));
    const before = Number(logs[logs.length - 2]?.slice(0, 20));
    for (const suffix of ['.log', '.index', '.timeindex']) {
      renameSync(
        join(logDir, last.replace('.log', suffix)),
        join(logDir, last.replace('.log', suffix).replace(/^\d+/, String(lastBase - 5).padStart(20, '0'))),
      );
    }
    const log = openLog();
    expect(log.recovery.truncations[0]?.reason).toMatch(/overlaps/);
    expect(log.logEndOffset).toBe(lastBase);
    expect(log.logStartOffset).toBe(0);
    expect(before).toBeLessThan(lastBase);
    expect(allValues(log)).toHaveLength(lastBase);
    expect(log.append(buildValuesBatch('next', 1))).toMatchObject({ ok: true, baseOffset: lastBase });
    expect(allValues(log).at(-1)).toBe('next-0');
  });

  it('deletes stray files but leaves unrelated ones alone', () => {
    writeLog(5);
    writeFileSync(join(logDir, '00000000000000000999.index'), Buffer.alloc(8));
    writeFileSync(join(logDir, '00000000000000000000.log.deleted'), 'x');
    writeFileSync(join(logDir, 'partition.metadata'), 'keep me');
    const log = openLog();
    expect(log.recovery.deletedStrayFiles.sort()).toEqual([
      '00000000000000000000.log.deleted',
      '00000000000000000999.index',
    ]);
    expect(readdirSync(logDir).sort()).toEqual([
      '00000000000000000000.index',
      '00000000000000000000.log',
      '00000000000000000000.timeindex',
      'partition.metadata',
    ]);
    expect(log.logEndOffset).toBe(15);
  });
});
