import { describe, expect, it } from 'vitest';
import { DelayPercentiles, RateMeter } from '../../../pipeline/stream/run-stats';

describe('the stream run statistics', () => {
  it('gives freshness percentiles within 0.1 % from a fixed-size histogram', () => {
    const p = new DelayPercentiles();
    expect(p.at(0.5)).toBeNull();
    for (let i = 1; i <= 1000; i++) p.add(i / 10); // 0.1 s … 100 s
    expect(p.at(0.5)).toBeCloseTo(50, 1);
    expect(p.at(0.95)).toBeCloseTo(95, 1);
    p.add(0);
    expect(p.at(0)).toBeCloseTo(0.001, 3);
  });

  it('counts rows per second over the last five seconds only', () => {
    let now = 1_000_000;
    const r = new RateMeter(5, () => now);
    r.add(500);
    now += 1000;
    r.add(500);
    expect(r.rate()).toBe(200);
    now += 4000;
    expect(r.rate()).toBe(100); // the first second left the window
    now += 60_000;
    expect(r.rate()).toBe(0);
  });
});
