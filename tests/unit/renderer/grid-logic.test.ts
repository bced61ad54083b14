import { describe, expect, it } from 'vitest';
import { RowCache } from '../../../renderer/src/components/grid/row-cache';
import {
  itemCount,
  itemHeight,
  rowsOfItems,
  ROWS_PER_ITEM,
} from '../../../renderer/src/components/grid/row-items';
import {
  geometry,
  MAX_SCROLL_PX,
  realToVirtual,
  virtualToReal,
} from '../../../renderer/src/components/grid/scaled-scroll';
import { bounds, contains, rowSelection } from '../../../renderer/src/components/grid/selection';

describe('scaled scrolling for millions of rows', () => {
  it('is the identity below the browser limit', () => {
    const g = geometry(1000, 28, 500);
    expect(realToVirtual(1234, g)).toBe(1234);
    expect(virtualToReal(1234, g)).toBe(1234);
  });

  it('maps the top to row 0 and the bottom to the last row', () => {
    const rows = 5_000_000;
    const g = geometry(rows, 28, 600);
    expect(g.realHeight).toBe(MAX_SCROLL_PX);
    expect(realToVirtual(0, g)).toBe(0);
    const bottom = realToVirtual(g.realHeight - g.viewport, g);
    expect(Math.floor((bottom + g.viewport) / 28)).toBe(rows);
    expect(virtualToReal(bottom, g)).toBeCloseTo(g.realHeight - g.viewport, 6);
  });
});

describe('virtualizer items of several rows', () => {
  it('cover every row once, at its own offset, the last item holding what is left', () => {
    const rows = 5 * ROWS_PER_ITEM + 3;
    const count = itemCount(rows);
    expect(count).toBe(6);
    const heights = Array.from({ length: count }, (_, i) => itemHeight(i, rows, 28));
    expect(heights.reduce((a, b) => a + b, 0)).toBe(rows * 28);
    expect(heights.at(-1)).toBe(3 * 28);
    const starts = heights.map((_, i) => heights.slice(0, i).reduce((a, b) => a + b, 0));
    const all = rowsOfItems(
      starts.map((start, index) => ({ index, start })),
      rows,
      28,
    );
    expect(all.map((r) => r.index)).toEqual(Array.from({ length: rows }, (_, i) => i));
    expect(all.every((r) => r.start === r.index * 28)).toBe(true);
    // Two items in the middle: their rows only, contiguous.
    const middle = rowsOfItems(
      [2, 3].map((index) => ({ index, start: starts[index] ?? 0 })),
      rows,
      28,
    );
    expect(middle.map((r) => r.index)).toEqual(
      Array.from({ length: 2 * ROWS_PER_ITEM }, (_, i) => 2 * ROWS_PER_ITEM + i),
    );
    expect(itemCount(0)).toBe(0);
    expect(rowsOfItems([], 0, 28)).toEqual([]);
  });
});

describe('row cache', () => {
  it('fetches each page once, neighbouring missing pages in one call, and serves rows from them', async () => {
    const calls: [number, number][] = [];
    const cache = new RowCache(async (offset, limit) => {
      calls.push([offset, limit]);
      return Array.from({ length: limit }, (_, i) => [offset + i]);
    }, 10);
    await new Promise<void>((resolve) => cache.ensure(5, 25, resolve));
    cache.ensure(5, 25, () => undefined);
    expect(calls).toEqual([[0, 30]]);
    expect(cache.row(17)).toEqual([17]);
    expect(cache.row(35)).toBeUndefined();
    await new Promise<void>((resolve) => cache.ensure(45, 49, resolve));
    // Pages 0-2 and 4 are known: 3 is fetched alone, 5-7 together.
    let loads = 0;
    await new Promise<void>((resolve) => cache.ensure(25, 79, () => ++loads === 2 && resolve()));
    expect(calls.slice(1)).toEqual([
      [40, 10],
      [30, 10],
      [50, 30],
    ]);
    expect(cache.row(79)).toEqual([79]);
  });

  it('ignores answers that arrive after a clear (new sort or filter)', async () => {
    let release: () => void = () => undefined;
    const cache = new RowCache(() => new Promise((resolve) => (release = () => resolve([['stale']]))), 10);
    cache.ensure(0, 0, () => undefined);
    cache.clear();
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(cache.row(0)).toBeUndefined();
  });

  it('keeps the error of a failed page for the grid to show', async () => {
    const cache = new RowCache(async () => {
      throw new Error('Binder Error: no column "prize"');
    }, 10);
    await new Promise<void>((resolve) => cache.ensure(0, 0, resolve));
    expect(cache.error).toContain('no column');
  });
});

describe('cell selection', () => {
  it('normalizes a drag in any direction', () => {
    const s = { anchor: { row: 5, col: 3 }, focus: { row: 2, col: 1 } };
    expect(bounds(s)).toEqual({ top: 2, bottom: 5, left: 1, right: 3 });
    expect(contains(s, 3, 2)).toBe(true);
    expect(contains(s, 6, 2)).toBe(false);
    expect(bounds(rowSelection(7, 4))).toEqual({ top: 7, bottom: 7, left: 0, right: 3 });
  });
});
