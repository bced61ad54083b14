import { describe, expect, it } from 'vitest';
import { planRetention } from '../../../../pipeline/broker/log/retention';
import type { RetentionCandidate } from '../../../../pipeline/broker/log/retention';

function seg(size: number, maxTimestamp: number, mtime = 0): RetentionCandidate {
  return { size, maxTimestamp, isEmpty: size === 0, lastModifiedMs: () => mtime };
}

describe('planRetention', () => {
  it('keeps everything when unlimited', () => {
    const segments = [seg(100, 1), seg(100, 2), seg(100, 3)];
    expect(planRetention(segments, { retentionBytes: -1, retentionMs: -1 }, 1e15)).toEqual({
      deleteCount: 0,
      rollActiveFirst: false,
    });
  });

  it('deletes the oldest segments while what is left stays at or above retentionBytes', () => {
    const segments = [seg(100, 1), seg(100, 2), seg(100, 3), seg(50, 4)];
    const plan = (bytes: number): number =>
      planRetention(segments, { retentionBytes: bytes, retentionMs: -1 }, 0).deleteCount;
    expect(plan(350)).toBe(0);
    expect(plan(250)).toBe(1);
    expect(plan(249)).toBe(1);
    expect(plan(150)).toBe(2);
    // Never the active segment, even at 0.
    expect(plan(0)).toBe(3);
  });

  it('deletes the oldest segments older than retentionMs, stopping at the first young one', () => {
    const segments = [seg(1, 100), seg(1, 900), seg(1, 200), seg(1, 950)];
    expect(planRetention(segments, { retentionBytes: -1, retentionMs: 500 }, 1000)).toEqual({
      deleteCount: 1,
      rollActiveFirst: false,
    });
  });

  it('rolls an expired, non-empty active segment so it can be deleted too', () => {
    expect(planRetention([seg(1, 100), seg(1, 200)], { retentionBytes: -1, retentionMs: 500 }, 1000)).toEqual(
      {
        deleteCount: 2,
        rollActiveFirst: true,
      },
    );
    expect(
      planRetention([seg(1, 100), seg(0, -1, 0)], { retentionBytes: -1, retentionMs: 500 }, 1000),
    ).toEqual({
      deleteCount: 1,
      rollActiveFirst: false,
    });
  });

  it('uses the file time for segments without timestamps', () => {
    const segments = [seg(1, -1, 100), seg(1, -1, 900), seg(1, 990)];
    expect(planRetention(segments, { retentionBytes: -1, retentionMs: 500 }, 1000).deleteCount).toBe(1);
  });
});
