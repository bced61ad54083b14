import { ApiError } from '../contract';
import { goldTables } from '../lake/gold/tables';

/** One grain key of a Gold table: the Silver expression that equals it, and the key's SQL type. */
export interface GrainKey {
  key: string;
  silver: string;
  type: 'DATE' | 'TIMESTAMPTZ' | 'VARCHAR' | 'INTEGER';
}

/**
 * Each Gold table's grain (see the comment at the top of its SQL file) as filters on Silver: a Gold row's keys
 * select exactly the Silver rows its figures aggregate. Kept beside the SQL files' own expressions: the
 * lineage tests re-aggregate the selected rows with the table's SQL and compare them with the Gold row.
 */
export const GRAINS: Record<string, GrainKey[]> = {
  traffic_minute: [
    { key: 'minute', silver: "date_trunc('minute', event_time)", type: 'TIMESTAMPTZ' },
    { key: 'event_type', silver: 'event_type', type: 'VARCHAR' },
  ],
  funnel_daily: [{ key: 'event_date', silver: 'event_date', type: 'DATE' }],
  category_daily: [
    { key: 'event_date', silver: 'event_date', type: 'DATE' },
    { key: 'category_l1', silver: "coalesce(category_l1, '(none)')", type: 'VARCHAR' },
    { key: 'category_l2', silver: "coalesce(category_l2, '(none)')", type: 'VARCHAR' },
  ],
  brand_daily: [
    { key: 'event_date', silver: 'event_date', type: 'DATE' },
    { key: 'brand', silver: "coalesce(brand, '(none)')", type: 'VARCHAR' },
  ],
  product_performance: [{ key: 'product_id', silver: 'product_id', type: 'VARCHAR' }],
  session_stats: [{ key: 'session_id', silver: 'session_id', type: 'VARCHAR' }],
  // A session counts on the UTC day it started: every event of the sessions that started that day.
  session_daily: [
    {
      key: 'event_date',
      silver: 'CAST(make_timestamp(epoch_us(min(event_time) OVER (PARTITION BY session_id))) AS DATE)',
      type: 'DATE',
    },
  ],
  user_activity: [{ key: 'user_id', silver: 'user_id', type: 'VARCHAR' }],
  // The UTC wall clock as Gold computes it: make_timestamp(epoch_us(…)), no ICU (1 µs a row less than timezone()).
  hourly_heatmap: [
    {
      key: 'day_of_week',
      silver: 'CAST(isodow(make_timestamp(epoch_us(event_time))) AS INTEGER)',
      type: 'INTEGER',
    },
    { key: 'hour', silver: 'CAST(hour(make_timestamp(epoch_us(event_time))) AS INTEGER)', type: 'INTEGER' },
  ],
};

export function grainOf(table: string): GrainKey[] {
  const name = table.replace(/^gold\./, '');
  const grain = GRAINS[name];
  if (!grain || !goldTables[name]) {
    throw new ApiError({
      code: 'NOT_FOUND',
      message: `No Gold table "${table}" (tables: ${Object.keys(GRAINS).join(', ')}).`,
    });
  }
  return grain;
}

/** The key values as the SQL casts expect them: instants given as epoch ms (the grid's form) become ISO text. */
export function keyValues(table: string, grain: GrainKey[], key: Record<string, string>): string[] {
  const unknown = Object.keys(key).filter((k) => !grain.some((g) => g.key === k));
  const missing = grain.filter((g) => key[g.key] === undefined).map((g) => g.key);
  if (unknown.length || missing.length) {
    throw new ApiError({
      code: 'VALIDATION',
      message: `${table}'s grain is ${grain.map((g) => g.key).join(', ')}: ${[
        missing.length ? `give ${missing.join(', ')}` : '',
        unknown.length ? `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a key` : '',
      ]
        .filter(Boolean)
        .join('; ')}.`,
    });
  }
  return grain.map((g) => keyValue(g, key[g.key] as string));
}

/** One value of a key as its SQL cast expects it. */
export function keyValue(g: GrainKey, value: string): string {
  if ((g.type === 'DATE' || g.type === 'TIMESTAMPTZ') && /^-?\d{9,}$/.test(value)) {
    const iso = new Date(Number(value)).toISOString();
    return g.type === 'DATE' ? iso.slice(0, 10) : iso;
  }
  if (g.type === 'INTEGER' && !/^-?\d+$/.test(value)) {
    throw new ApiError({ code: 'VALIDATION', message: `${g.key} is a whole number, not "${value}".` });
  }
  return value;
}

const EVENT_TIME: GrainKey = { key: 'event_time', silver: 'event_time', type: 'TIMESTAMPTZ' };

/**
 * A key a drill may filter on, as the table's own grain has it, else as the first Gold table whose grain has
 * it without a window (event_date is the event's day except in session_daily, where it is the session's
 * start day), else event_time itself. A dashboard figure summed over many Gold rows is a set of such filters.
 */
export function drillKey(table: string, key: string): GrainKey {
  const own = grainOf(table).find((g) => g.key === key);
  if (own) return own;
  if (key === EVENT_TIME.key) return EVENT_TIME;
  for (const grain of Object.values(GRAINS)) {
    const found = grain.find((g) => g.key === key && !/\bOVER\b/.test(g.silver));
    if (found) return found;
  }
  throw new ApiError({
    code: 'VALIDATION',
    message: `"${key}" is not a key to drill by (keys: ${DRILL_KEYS.join(', ')}).`,
  });
}

/** Every key a drill may filter on. */
export const DRILL_KEYS = [
  ...new Set([...Object.values(GRAINS).flatMap((g) => g.map((k) => k.key)), EVENT_TIME.key]),
];
