import { describe, expect, it } from 'vitest';
import { nextStep } from '../../../pipeline/lake/refiner';
import type { BronzeSlice } from '../../../pipeline/lake/silver/state';

const slice = (partition: number, first: number, rows: number): BronzeSlice => ({
  partition,
  first,
  last: first + rows - 1,
  file: `p${partition}-${first}.parquet`,
});

describe('a Silver step over a Bronze backlog', () => {
  const backlog = [
    slice(0, 0, 50_000),
    slice(0, 50_000, 50_000),
    slice(0, 100_000, 50_000),
    slice(1, 0, 50_000),
    slice(1, 50_000, 50_000),
    slice(2, 0, 50_000),
  ];

  it('takes the oldest slice of every partition in turn, up to the row cap', () => {
    expect(nextStep(backlog, 200_000).map((s) => s.file)).toEqual([
      'p0-0.parquet',
      'p0-50000.parquet',
      'p1-0.parquet',
      'p2-0.parquet',
    ]);
  });

  it('keeps each partition contiguous from its watermark, whatever order the slices come in', () => {
    const step = nextStep([...backlog].reverse(), 100_000);
    expect(step.map((s) => s.file)).toEqual(['p0-0.parquet', 'p1-0.parquet']);
  });

  it('takes one slice even when it alone is over the cap, and the whole backlog when it is small', () => {
    expect(nextStep([slice(3, 10, 500_000), slice(3, 500_010, 5)], 200_000)).toHaveLength(1);
    expect(nextStep(backlog, 10_000_000)).toHaveLength(backlog.length);
    expect(nextStep([], 200_000)).toEqual([]);
  });
});
