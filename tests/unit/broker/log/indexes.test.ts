import { describe, expect, it } from 'vitest';
import { resolveLogConfig } from '../../../../pipeline/broker/log/config';
import { OffsetIndex } from '../../../../pipeline/broker/log/offset-index';
import { parseSegmentFileName, segmentFileName } from '../../../../pipeline/broker/log/segment-files';
import { TimeIndex } from '../../../../pipeline/broker/log/time-index';

describe('segment indexes', () => {
  it('finds the last indexed batch at or before an offset', () => {
    const index = new OffsetIndex(1000);
    index.add(1010, 400);
    index.add(1025, 900);
    index.add(1040, 1500);
    expect(index.floorPosition(1000)).toBe(0);
    expect(index.floorPosition(1009)).toBe(0);
    expect(index.floorPosition(1010)).toBe(400);
    expect(index.floorPosition(1030)).toBe(900);
    expect(index.floorPosition(5000)).toBe(1500);
    const encoded = index.encode();
    expect(encoded).toHaveLength(24);
    expect([encoded.readInt32BE(8), encoded.readInt32BE(12)]).toEqual([25, 900]);
  });

  it('keeps time entries strictly increasing and finds the last one below a timestamp', () => {
    const index = new TimeIndex(50);
    expect(index.maybeAdd(2 ** 41, 55)).toHaveLength(12);
    expect(index.maybeAdd(2 ** 41, 60)).toBeNull();
    index.maybeAdd(2 ** 41 + 10, 70);
    expect(index.lastEntryBefore(2 ** 41)).toBeNull();
    expect(index.lastEntryBefore(2 ** 41 + 5)).toEqual({ timestamp: 2 ** 41, offset: 55 });
    expect(index.lastEntryBefore(2 ** 42)).toEqual({ timestamp: 2 ** 41 + 10, offset: 70 });
    expect(index.encode().readBigInt64BE(12)).toBe(BigInt(2 ** 41 + 10));
  });

  it('names segment files by 20-digit base offset', () => {
    expect(segmentFileName(42, '.timeindex')).toBe('00000000000000000042.timeindex');
    expect(parseSegmentFileName('00000000000000000042.log')).toEqual({ baseOffset: 42, suffix: '.log' });
    expect(parseSegmentFileName('42.log')).toBeNull();
    expect(parseSegmentFileName('00000000000000000042.log.deleted')).toBeNull();
  });
});

describe('resolveLogConfig', () => {
  it('fills defaults, ignores undefined and refuses impossible values', () => {
    expect(resolveLogConfig({ segmentBytes: undefined, retentionMs: -1 })).toMatchObject({
      segmentBytes: 64 * 1024 * 1024,
      retentionMs: -1,
    });
    expect(() => resolveLogConfig({ segmentBytes: 2 ** 31 })).toThrow(/segmentBytes/);
    expect(() => resolveLogConfig({ retentionBytes: -2 })).toThrow(/retentionBytes/);
    expect(() => resolveLogConfig({ indexIntervalBytes: 0 })).toThrow(/indexIntervalBytes/);
  });
});
