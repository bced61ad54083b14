import { describe, expect, it } from 'vitest';
import type { DownloadProgress } from '../../../pipeline/contract/dataset';
import { progressLine, ProgressReporter } from '../../../pipeline/dataset/progress';

describe('download progress: rate, ETA and throttling', () => {
  it('reports at most once per interval, measures the rate over the window and ends with the final state', () => {
    const seen: DownloadProgress[] = [];
    const reporter = new ProgressReporter('2019-Oct', (p) => seen.push(p), 1000, 5000);
    reporter.update(0, 10_000_000, 0);
    reporter.update(500_000, 10_000_000, 400); // inside the interval: held back
    reporter.update(1_000_000, 10_000_000, 1000);
    reporter.update(3_000_000, 10_000_000, 2000);
    reporter.finish('cancelled', 2000);
    expect(seen.map((p) => p.bytes)).toEqual([0, 1_000_000, 3_000_000, 3_000_000]);
    expect(seen[2]).toMatchObject({ bytesPerSecond: 1_500_000, state: 'downloading' });
    expect(seen[2]?.etaSeconds).toBeCloseTo(7_000_000 / 1_500_000);
    expect(seen.at(-1)?.state).toBe('cancelled');
  });

  it('has no ETA without a known size, and zero once done', () => {
    const seen: DownloadProgress[] = [];
    const reporter = new ProgressReporter('2019-Nov', (p) => seen.push(p), 0);
    reporter.update(0, null, 0);
    reporter.update(2048, null, 1000);
    reporter.finish('done', 1000);
    expect(seen[1]).toMatchObject({ etaSeconds: null, bytesPerSecond: 2048 });
    expect(seen[2]).toMatchObject({ etaSeconds: 0, state: 'done' });
  });

  it('prints a readable CLI line', () => {
    expect(
      progressLine({
        month: '2019-Oct',
        bytes: 512 * 1024 * 1024,
        totalBytes: 2048 * 1024 * 1024,
        bytesPerSecond: 8 * 1024 * 1024,
        etaSeconds: 192,
        state: 'downloading',
      }),
    ).toBe('2019-Oct  512 MB of 2.0 GB (25.0 %)  8.0 MB/s  ETA 3m 12s');
  });
});
