import { describe, expect, it } from 'vitest';
import { toCsv, toMarkdown, toTsv } from '../../../renderer/src/lib/clipboard-text';
import {
  formatBytes,
  formatCompact,
  formatDecimal,
  formatDuration,
  formatInteger,
  formatPercent,
  formatTimestamp,
} from '../../../renderer/src/lib/format';

describe('number formatting', () => {
  it('groups integers, including ids beyond 2^53 held as bigint', () => {
    expect(formatInteger(987)).toBe('987');
    expect(formatInteger(42448764)).toBe('42,448,764');
    expect(formatInteger(2053013555631882655n)).toBe('2,053,013,555,631,882,655');
    expect(formatInteger(null)).toBe('–');
    expect(formatInteger(Number.NaN)).toBe('–');
  });

  it('shows money with two decimals and percentages of ratios', () => {
    expect(formatDecimal(2387.84)).toBe('2,387.84');
    expect(formatDecimal(1763.21)).toBe('1,763.21');
    expect(formatDecimal(0.1 + 0.2)).toBe('0.30');
    expect(formatPercent(10 / 987)).toBe('1.01 %');
    expect(formatPercent(undefined)).toBe('–');
  });

  it('compacts large counts', () => {
    expect(formatCompact(987)).toBe('987');
    expect(formatCompact(12345)).toBe('12.3k');
    expect(formatCompact(4577232)).toBe('4.58M');
    expect(formatCompact(-1500)).toBe('-1.50k');
  });

  it('formats sizes, durations and timestamps', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(5.67 * 1024 ** 3)).toBe('5.7 GB');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(1046)).toBe('17 m 26 s');
    expect(formatDuration(7500)).toBe('2 h 05 m');
    expect(formatTimestamp(Date.UTC(2019, 9, 1, 0, 17, 26))).toBe('2019-10-01 00:17:26');
    expect(formatTimestamp('2019-10-01T00:00:00.250Z')).toBe('2019-10-01 00:00:00.250');
  });
});

describe('clipboard text', () => {
  const header = ['brand', 'price'];
  const rows = [
    ['a,b', '1.00'],
    ['say "hi"', '2.50'],
    ['x|y', ''],
  ];

  it('quotes CSV per RFC 4180', () => {
    expect(toCsv(header, rows)).toBe('brand,price\r\n"a,b",1.00\r\n"say ""hi""",2.50\r\nx|y,');
  });

  it('escapes pipes in Markdown tables', () => {
    expect(toMarkdown(header, rows).split('\n')).toEqual([
      '| brand | price |',
      '| --- | --- |',
      '| a,b | 1.00 |',
      '| say "hi" | 2.50 |',
      '| x\\|y |  |',
    ]);
  });

  it('flattens tabs and newlines for TSV', () => {
    expect(toTsv([['a\tb', 'c\nd']])).toBe('a b\tc d');
  });
});
