import { describe, expect, it } from 'vitest';
import {
  BATCH_HEADER_SIZE,
  batchLastOffset,
  firstRecordAtOrAfter,
  parseBatchHeader,
  setBaseOffset,
  splitBatches,
  validateBatch,
} from '../../../pipeline/broker/records/record-batch';
import {
  buildBatch,
  buildMagicOneMessage,
  buildValuesBatch,
  decodeRecords,
} from '../../helpers/record-batches';

describe('RecordBatch v2 framing', () => {
  it('parses every header field', () => {
    const batch = buildBatch(
      [
        { key: 'a', value: 'one', timestamp: 1_000 },
        { key: null, value: 'two', timestamp: 3_000 },
      ],
      {
        baseOffset: 42,
        baseTimestamp: 1_000,
        producerId: 7,
        producerEpoch: 3,
        baseSequence: 11,
        partitionLeaderEpoch: 5,
      },
    );
    const h = parseBatchHeader(batch);
    expect(h).toMatchObject({
      baseOffset: 42,
      batchLength: batch.length - 12,
      partitionLeaderEpoch: 5,
      magic: 2,
      attributes: 0,
      lastOffsetDelta: 1,
      baseTimestamp: 1_000,
      maxTimestamp: 3_000,
      producerId: 7,
      producerEpoch: 3,
      baseSequence: 11,
      recordsCount: 2,
    });
    expect(batchLastOffset(h)).toBe(43);
    expect(BATCH_HEADER_SIZE).toBe(61);
  });

  it('accepts a valid batch and pins down why a broken one is refused', () => {
    const batch = buildValuesBatch('v', 3);
    expect(validateBatch(batch).ok).toBe(true);

    const flipped = Buffer.from(batch);
    flipped[flipped.length - 2] = (flipped[flipped.length - 2] ?? 0) ^ 0xff;
    expect(validateBatch(flipped)).toMatchObject({ ok: false, error: 'CORRUPT_MESSAGE', reason: /CRC/ });

    expect(validateBatch(batch.subarray(0, batch.length - 1))).toMatchObject({
      ok: false,
      error: 'CORRUPT_MESSAGE',
      reason: /batchLength/,
    });
    expect(validateBatch(batch.subarray(0, 30))).toMatchObject({ ok: false, reason: /shorter/ });
    expect(validateBatch(buildMagicOneMessage('old'))).toMatchObject({
      ok: false,
      error: 'UNSUPPORTED_FOR_MESSAGE_FORMAT',
    });
    expect(validateBatch(buildValuesBatch('v', 1, { magic: 3 }))).toMatchObject({
      ok: false,
      error: 'CORRUPT_MESSAGE',
      reason: /magic/,
    });
  });

  it('splits a records field holding several batches, as views', () => {
    const a = buildValuesBatch('a', 2);
    const b = buildValuesBatch('b', 5);
    const split = splitBatches(Buffer.concat([a, b]));
    expect(split.ok).toBe(true);
    if (!split.ok) return;
    expect(split.batches.map((x) => x.length)).toEqual([a.length, b.length]);
    expect(split.batches[1]?.equals(b)).toBe(true);
    expect(splitBatches(Buffer.alloc(0))).toEqual({ ok: true, batches: [] });
  });

  it('refuses a records field with a torn batch or legacy messages', () => {
    const a = buildValuesBatch('a', 2);
    expect(splitBatches(Buffer.concat([a, a.subarray(0, 40)]))).toMatchObject({
      ok: false,
      error: 'CORRUPT_MESSAGE',
    });
    expect(splitBatches(Buffer.concat([a, a.subarray(0, 10)]))).toMatchObject({
      ok: false,
      reason: /trailing/,
    });
    expect(splitBatches(buildMagicOneMessage('x'))).toMatchObject({
      ok: false,
      error: 'UNSUPPORTED_FOR_MESSAGE_FORMAT',
    });
  });

  it('rewrites the base offset without invalidating the CRC', () => {
    const batch = buildValuesBatch('v', 3);
    setBaseOffset(batch, 2 ** 40 + 5);
    expect(validateBatch(batch)).toMatchObject({ ok: true, header: { baseOffset: 2 ** 40 + 5 } });
    expect(decodeRecords(batch).map((r) => r.offset)).toEqual([2 ** 40 + 5, 2 ** 40 + 6, 2 ** 40 + 7]);
    expect(() => setBaseOffset(batch, 2 ** 60)).toThrow(RangeError);
  });

  it('finds the first record stamped at or after a time in an uncompressed batch', () => {
    const batch = buildBatch(
      [
        { value: 'a', timestamp: 5_000 },
        { value: 'b', timestamp: 2 ** 40 },
        { value: 'c', timestamp: 6_000 },
      ],
      { baseOffset: 10, baseTimestamp: 5_000 },
    );
    expect(firstRecordAtOrAfter(batch, 5_500)).toEqual({ offset: 11, timestamp: 2 ** 40 });
    expect(firstRecordAtOrAfter(batch, 0)).toEqual({ offset: 10, timestamp: 5_000 });
    expect(firstRecordAtOrAfter(batch, 2 ** 41)).toBeNull();
    expect(firstRecordAtOrAfter(buildValuesBatch('z', 2, { attributes: 4 }), 0)).toBeNull();
  });

  it('refuses int64 fields beyond 2^53 instead of rounding them', () => {
    const batch = buildValuesBatch('v', 1, { producerId: 2 ** 53 + 2 });
    expect(validateBatch(batch)).toMatchObject({ ok: false, reason: /producerId/ });
  });
});
