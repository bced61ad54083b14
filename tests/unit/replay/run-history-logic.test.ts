import { describe, expect, it } from 'vitest';
import type { RunPoint } from '../../../pipeline/contract';
import { judgePace } from '../../../pipeline/replay/history/pace-check';
import { RunSeriesBuffer } from '../../../pipeline/replay/history/series';

const point = (at: number, produced: number, lag: number | null = null): RunPoint => ({
  at,
  produced,
  bronze: null,
  silver: null,
  lag,
  bronzeFreshness: null,
  goldFreshness: null,
});

describe('a run series', () => {
  it('keeps the whole run in bounded points, halving the resolution when full', () => {
    const buffer = new RunSeriesBuffer(1000, 8);
    for (let s = 0; s < 100; s++) {
      const at = s * 1000;
      if (buffer.due(at)) buffer.add(point(at, 10, s));
    }
    const points = buffer.all();
    expect(points.length).toBeLessThan(8);
    // The start and the end are still covered (a point is stamped at the end of its period).
    expect(points[0]?.at).toBeLessThanOrEqual(buffer.step);
    expect(points.at(-1)?.at).toBeGreaterThan(90_000);
    // Rates average (a steady 10/s stays 10/s), levels keep the later value.
    expect(points.every((p) => p.produced === 10)).toBe(true);
    expect(points.at(-1)?.lag).toBeGreaterThan(90);
    expect(buffer.step).toBeGreaterThan(1000);
  });
});

describe('achieved against target', () => {
  const base = { eventSeconds: null, heldBackSeconds: 0, stageCounts: { replay: 10 } };

  it('names the bottleneck when a fixed rate is not met', () => {
    const v = judgePace({
      ...base,
      options: { rate: 5000, speed: 'max' },
      rowsSent: 20_000,
      durationSeconds: 10,
    });
    expect(v.targetMet).toBe(false);
    expect(v.warning).toBe(
      'Target 5,000 events/s not met: 2,000 events/s on average (40 %). Bottleneck: the replay itself (reading, pacing and sending the file).',
    );
  });

  it('blames Bronze when the replay waited for it', () => {
    const v = judgePace({
      ...base,
      heldBackSeconds: 4,
      options: { rate: 5000, speed: 'max' },
      rowsSent: 20_000,
      durationSeconds: 10,
    });
    expect(v.bottleneck).toBe('bronze');
    expect(v.warning).toContain('Bottleneck: Bronze');
    expect(v.warning).toContain('It waited 4.0 s for Bronze.');
  });

  it('tells the lake’s slowest stage beside the replay’s shortfall', () => {
    const v = judgePace({
      ...base,
      stageCounts: { replay: 2, silver: 6 },
      options: { rate: 5000, speed: 'max' },
      rowsSent: 20_000,
      durationSeconds: 10,
    });
    expect(v.bottleneck).toBe('replay');
    expect(v.warning).toContain('The lake’s slowest stage meanwhile: Silver (Bronze files waited for it).');
  });

  it('says nothing when the target is met, or there is none', () => {
    expect(
      judgePace({ ...base, options: { rate: 1000, speed: 'max' }, rowsSent: 9_800, durationSeconds: 10 })
        .warning,
    ).toBeNull();
    const max = judgePace({ ...base, options: { speed: 'max' }, rowsSent: 5, durationSeconds: 10 });
    expect(max.targetMet).toBeNull();
    expect(max.warning).toBeNull();
  });

  it('judges a speed-up by event time covered per second', () => {
    const v = judgePace({
      ...base,
      eventSeconds: 300,
      options: { speed: 60 },
      rowsSent: 100,
      durationSeconds: 10,
    });
    expect(v.achievedSpeed).toBe(30);
    expect(v.warning).toMatch(/^Target speed ×60 not met: ×30\.0 on average\./);
  });
});
