import type { RunPoint } from '../../contract';

/** A run keeps at most this many points: a month-long replay costs the same as a minute's. */
export const MAX_POINTS = 720;

/**
 * A run's time series at a resolution that halves whenever it fills up: one point a second at first, then
 * one per 2 s, 4 s … so the whole run is always there in bounded memory. Merging two neighbours averages
 * rates (they cover equal periods) and keeps the later lag and freshness (they are levels, not flows).
 */
export class RunSeriesBuffer {
  private points: RunPoint[] = [];
  /** Milliseconds each stored point covers. */
  step: number;

  constructor(
    private readonly baseStep = 1000,
    private readonly max = MAX_POINTS,
  ) {
    this.step = baseStep;
  }

  static from(points: RunPoint[], baseStep = 1000, max = MAX_POINTS): RunSeriesBuffer {
    const buffer = new RunSeriesBuffer(baseStep, max);
    buffer.points = points.slice(-max);
    if (points.length > 1) {
      const span = (points.at(-1)?.at ?? 0) - (points[0]?.at ?? 0);
      buffer.step = Math.max(baseStep, span / (points.length - 1));
    }
    return buffer;
  }

  /** True when a point taken now would start a new period (callers sample on a fixed timer). */
  due(now: number): boolean {
    const last = this.points.at(-1);
    return !last || now - last.at >= this.step - this.baseStep / 4;
  }

  add(point: RunPoint): void {
    this.points.push(point);
    if (this.points.length < this.max) return;
    const merged: RunPoint[] = [];
    for (let i = 0; i + 1 < this.points.length; i += 2) {
      const a = this.points[i] as RunPoint;
      const b = this.points[i + 1] as RunPoint;
      merged.push({
        at: b.at,
        produced: (a.produced + b.produced) / 2,
        bronze: mean(a.bronze, b.bronze),
        silver: mean(a.silver, b.silver),
        lag: b.lag ?? a.lag,
        bronzeFreshness: b.bronzeFreshness ?? a.bronzeFreshness,
        goldFreshness: b.goldFreshness ?? a.goldFreshness,
      });
    }
    if (this.points.length % 2 === 1) merged.push(this.points.at(-1) as RunPoint);
    this.points = merged;
    this.step *= 2;
  }

  all(): RunPoint[] {
    return this.points.slice();
  }

  get length(): number {
    return this.points.length;
  }
}

function mean(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return (a + b) / 2;
}
