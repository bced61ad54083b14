import { describe, expect, it } from 'vitest';
import {
  describeSizeBytes,
  formatDurationMs,
  formatSizeBytes,
  parseDurationMs,
  parseSizeBytes,
} from '../../../renderer/src/screens/topics/config-units';

describe('topic configs in human units', () => {
  it('formats durations and sizes exactly, with -1 as no limit', () => {
    expect(formatDurationMs('604800000')).toBe('7 d');
    expect(formatDurationMs(14 * 86_400_000)).toBe('14 d');
    expect(formatDurationMs(3 * 86_400_000)).toBe('3 d');
    expect(formatDurationMs(3_600_000)).toBe('1 h');
    expect(formatDurationMs(90 * 60_000)).toBe('90 min');
    expect(formatDurationMs(1500)).toBe('1,500 ms');
    expect(formatDurationMs('-1')).toBe('forever');
    expect(formatSizeBytes('1073741824')).toBe('1 GiB');
    expect(formatSizeBytes(64 * 1024 ** 2)).toBe('64 MiB');
    expect(formatSizeBytes(1536 * 1024 ** 2)).toBe('1,536 MiB');
    expect(formatSizeBytes(1000)).toBe('1,000 B');
    expect(formatSizeBytes(-1)).toBe('no limit');
    expect(formatSizeBytes(undefined)).toBe('–');
  });

  it('parses what people type, and reads back what it shows', () => {
    expect(parseDurationMs('7 d')).toEqual({ ok: true, value: 604_800_000 });
    expect(parseDurationMs('12h')).toEqual({ ok: true, value: 43_200_000 });
    expect(parseDurationMs('1.5 days')).toEqual({ ok: true, value: 129_600_000 });
    expect(parseDurationMs('30 MIN')).toEqual({ ok: true, value: 1_800_000 });
    expect(parseDurationMs('forever')).toEqual({ ok: true, value: -1 });
    expect(parseSizeBytes('1 GiB')).toEqual({ ok: true, value: 1024 ** 3 });
    expect(parseSizeBytes('500 MB')).toEqual({ ok: true, value: 500 * 1024 ** 2 });
    expect(parseSizeBytes('no limit')).toEqual({ ok: true, value: -1 });
    for (const ms of [604_800_000, 3_600_000, 1500, 90_000]) {
      expect(parseDurationMs(formatDurationMs(ms))).toEqual({ ok: true, value: ms });
    }
    for (const b of [1024 ** 3, 64 * 1024 ** 2, 1000, 1536 * 1024 ** 2]) {
      expect(parseSizeBytes(formatSizeBytes(b))).toEqual({ ok: true, value: b });
    }
  });

  it('refuses a number without a unit, an unknown unit and words, saying what to type', () => {
    expect(parseDurationMs('7')).toEqual({
      ok: false,
      error: '"7" needs a unit: for example 7 d, 12 h or 30 min.',
    });
    expect(parseDurationMs('7 fortnights')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^"fortnights" is not a unit of duration: use ms, s, sec, m, min/),
    });
    expect(parseSizeBytes('big')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/"big" is not a size: type a number and a unit, such as 1 GiB/),
    });
    expect(parseSizeBytes('2 parsecs')).toMatchObject({ ok: false });
    expect(parseSizeBytes('')).toMatchObject({ ok: false });
  });
});

describe('sizes for reading', () => {
  it('shows a size that is no whole unit as about so many of the largest', () => {
    expect(describeSizeBytes(715_827_883)).toBe('≈ 682.67 MiB');
    expect(describeSizeBytes(1024 ** 3)).toBe('1 GiB');
    expect(describeSizeBytes(1000)).toBe('1,000 B');
    expect(describeSizeBytes(-1)).toBe('no limit');
  });
});
