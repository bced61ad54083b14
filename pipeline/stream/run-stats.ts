import { build, type Histogram } from 'hdr-histogram-js';

/**
 * Freshness percentiles over a whole run in fixed memory: an HdrHistogram of delays in milliseconds
 * (3 significant digits, up to a week), so a month-long replay costs the same few kilobytes as a minute.
 */
export class DelayPercentiles {
  private readonly histogram: Histogram = build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 7 * 24 * 3600 * 1000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });

  add(seconds: number): void {
    this.histogram.recordValue(Math.max(1, Math.min(Math.round(seconds * 1000), 7 * 24 * 3600 * 1000)));
  }

  /** The q-quantile in seconds, or null before the first value. */
  at(q: number): number | null {
    if (this.histogram.totalCount === 0) return null;
    return this.histogram.getValueAtPercentile(q * 100) / 1000;
  }
}

/** Rows per second over the last few seconds, from a fixed ring of one-second buckets. */
export class RateMeter {
  private readonly counts: Float64Array;
  private readonly stamps: Float64Array;

  constructor(
    private readonly windowSeconds = 5,
    private readonly now: () => number = Date.now,
  ) {
    this.counts = new Float64Array(windowSeconds + 1);
    this.stamps = new Float64Array(windowSeconds + 1).fill(-1);
  }

  add(rows: number): void {
    const second = Math.floor(this.now() / 1000);
    const i = second % this.counts.length;
    if (this.stamps[i] !== second) {
      this.stamps[i] = second;
      this.counts[i] = 0;
    }
    this.counts[i] = (this.counts[i] ?? 0) + rows;
  }

  rate(): number {
    const second = Math.floor(this.now() / 1000);
    let rows = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const at = this.stamps[i] ?? -1;
      if (at > second - this.windowSeconds && at <= second) rows += this.counts[i] ?? 0;
    }
    return rows / this.windowSeconds;
  }
}
