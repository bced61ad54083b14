import { describe, expect, it } from 'vitest';
import { pageBounds, type MinuteCounts } from '../../../pipeline/explore/time-bounds';

const m = (minute: number) => Date.UTC(2019, 9, 1, 0, minute);
const iso = (ms: number) => new Date(ms).toISOString();
// 5 rows at 00:00, 3 at 00:02, 4 at 00:07.
const minutes: MinuteCounts = [
  [m(0), 5],
  [m(2), 3],
  [m(7), 4],
];

describe('pageBounds', () => {
  it('bounds a page to the minutes holding it, with the offset inside them, in either order', () => {
    expect(pageBounds(minutes, 'asc', 0, 2)).toEqual({ from: iso(m(0)), to: iso(m(1)), offset: 0 });
    expect(pageBounds(minutes, 'asc', 4, 2)).toEqual({ from: iso(m(0)), to: iso(m(3)), offset: 4 });
    expect(pageBounds(minutes, 'asc', 5, 3)).toEqual({ from: iso(m(2)), to: iso(m(3)), offset: 0 });
    expect(pageBounds(minutes, 'asc', 6, 100)).toEqual({ from: iso(m(2)), to: iso(m(8)), offset: 1 });
    expect(pageBounds(minutes, 'desc', 0, 4)).toEqual({ from: iso(m(7)), to: iso(m(8)), offset: 0 });
    expect(pageBounds(minutes, 'desc', 4, 1)).toEqual({ from: iso(m(2)), to: iso(m(3)), offset: 0 });
    expect(pageBounds(minutes, 'desc', 3, 5)).toEqual({ from: iso(m(0)), to: iso(m(8)), offset: 3 });
  });

  it('says a page past the last match is empty, and gives up on rows without an event_time', () => {
    expect(pageBounds(minutes, 'asc', 12, 10)).toBe('empty');
    expect(pageBounds([], 'desc', 0, 10)).toBe('empty');
    expect(pageBounds([...minutes, [null, 2]], 'asc', 0, 10)).toBeNull();
  });
});
