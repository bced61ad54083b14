/**
 * Topic configs in the units people use: retention.ms as "7 d", retention.bytes as "1 GiB". Formatting
 * is exact (the largest unit that divides the value), so what is shown reads back to the same number;
 * parsing takes a number with a unit and refuses anything else with a sentence saying what to type.
 */

// Weeks are read but not shown: "7 d" is how Kafka's default retention is usually spoken of.
const DURATION_UNITS: [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1000],
  ['ms', 1],
];

const DURATION_ALIASES: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 7 * 86_400_000,
  week: 7 * 86_400_000,
  weeks: 7 * 86_400_000,
};

const SIZE_UNITS: [string, number][] = [
  ['TiB', 1024 ** 4],
  ['GiB', 1024 ** 3],
  ['MiB', 1024 ** 2],
  ['KiB', 1024],
  ['B', 1],
];

// Kafka sizes are powers of 1024; "MB" as typed by most people is taken to mean the same (as Kafka docs do).
const SIZE_ALIASES: Record<string, number> = {
  b: 1,
  byte: 1,
  bytes: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

const UNLIMITED = /^(-1|forever|never|unlimited|no limit|none|∞)$/i;

function exact(value: number, units: [string, number][]): string {
  for (const [unit, size] of units) {
    if (value >= size && value % size === 0) return `${(value / size).toLocaleString('en-US')} ${unit}`;
  }
  // Not a whole number of any unit: the largest unit that fits, to two decimals, marked approximate.
  const [unit, size] = units.find(([, s]) => value >= s) ?? (units[units.length - 1] as [string, number]);
  return `≈ ${(value / size).toFixed(2)} ${unit}`;
}

/** retention.ms / segment.ms for people: "7 d", "12 h", "forever" for -1. */
export function formatDurationMs(value: string | number | undefined): string {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n)) return '–';
  if (n === -1) return 'forever';
  if (n === 0) return '0 ms';
  return exact(n, DURATION_UNITS);
}

/** retention.bytes / segment.bytes for people: "1 GiB", "64 MiB", "no limit" for -1. */
export function formatSizeBytes(value: string | number | undefined): string {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n)) return '–';
  if (n === -1) return 'no limit';
  if (n === 0) return '0 B';
  return exact(n, SIZE_UNITS);
}

type Parsed = { ok: true; value: number } | { ok: false; error: string };

function parseWithUnit(text: string, aliases: Record<string, number>, what: string, example: string): Parsed {
  const t = text.trim();
  if (UNLIMITED.test(t)) return { ok: true, value: -1 };
  const m = /^(\d+(?:[.,]\d+)?)\s*([a-zA-Zµ]+)$/.exec(t.replace(/,(?=\d{3}\b)/g, ''));
  if (!m) {
    if (/^\d+(\.\d+)?$/.test(t)) return { ok: false, error: `"${t}" needs a unit: for example ${example}.` };
    return {
      ok: false,
      error: `"${t}" is not a ${what}: type a number and a unit, such as ${example}, or "${what === 'duration' ? 'forever' : 'no limit'}".`,
    };
  }
  const factor = aliases[(m[2] as string).toLowerCase()];
  if (factor === undefined) {
    return {
      ok: false,
      error: `"${m[2]}" is not a unit of ${what}: use ${Object.keys(aliases)
        .filter((k) => k.length <= 3)
        .join(', ')}.`,
    };
  }
  const value = Math.round(Number((m[1] as string).replace(',', '.')) * factor);
  if (!Number.isSafeInteger(value)) return { ok: false, error: `"${t}" is too large.` };
  return { ok: true, value };
}

/** "7 d", "12h", "90 min", "1.5 w", "forever" → milliseconds (-1 for forever). */
export function parseDurationMs(text: string): Parsed {
  return parseWithUnit(text, DURATION_ALIASES, 'duration', '7 d, 12 h or 30 min');
}

/** "1 GiB", "500 MB", "64m", "no limit" → bytes (-1 for no limit). */
export function parseSizeBytes(text: string): Parsed {
  return parseWithUnit(text, SIZE_ALIASES, 'size', '1 GiB or 500 MiB');
}

/** For reading, not editing: whole units when exact, else about so many of the largest (e.g. "≈ 682.67 MiB"). */
export function describeSizeBytes(value: string | number | undefined): string {
  const shown = formatSizeBytes(value);
  const n = Number(value);
  if (!shown.endsWith(' B') || !Number.isFinite(n) || n < 1024) return shown;
  const [unit, size] = SIZE_UNITS.find(([, s]) => n >= s) ?? ['B', 1];
  return `≈ ${(n / size).toFixed(2)} ${unit}`;
}
