import { NONE_VALUE, type DashboardFilters, type LineageCondition } from '../contract';
import { quoteLiteral } from '../query/sql-builder';

export type Grain = 'minute' | 'hour' | 'day';

/** What one snapshot covers: the period (and the one before it), and the SQL predicates that select it. */
export interface Scope {
  source: 'gold' | 'silver';
  sourceReason: string | null;
  grain: Grain;
  /** The period covers every day the lake has (no window): Gold's whole-lake tables answer for it. */
  wholeLake: boolean;
  period: { from: string; to: string };
  previousPeriod: { from: string; to: string };
  /** Predicates over Gold's day-grained tables (event_date), current and previous period. */
  goldWhere: string;
  goldPreviousWhere: string;
  /** The days the period touches, for Gold tables read whatever the source (the filters' choices). */
  datesWhere: string;
  /** Predicates over Silver events (every filter), current and previous period. */
  silverWhere: string;
  silverPreviousWhere: string;
  /** The period and every filter as lineage conditions (the same predicates as silverWhere), and the period's days. */
  drillWhere: LineageCondition[];
  drillDates: LineageCondition;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isoTime = (ms: number) => new Date(ms).toISOString();

/**
 * Turns the screen's filters into predicates. Gold's tables have dates (and traffic an event type) but no
 * brand and no category on most tables, and nothing finer than a day on the funnel and sessions: any filter
 * beyond dates is answered from Silver for every panel, so all panels of a snapshot still agree.
 */
export function scopeOf(
  filters: DashboardFilters,
  extent: { first: string; last: string },
  latestEventMs: number,
): Scope {
  const reasons = silverReasons(filters);
  const dims = dimensionPredicates(filters);
  let period: { from: string; to: string };
  let previousPeriod: { from: string; to: string };
  let time: string;
  let previousTime: string;
  let drillTime: LineageCondition;
  let spanMs: number;
  if (filters.lastMinutes !== undefined) {
    spanMs = filters.lastMinutes * 60_000;
    const end = latestEventMs;
    period = { from: isoTime(end - spanMs), to: isoTime(end) };
    previousPeriod = { from: isoTime(end - 2 * spanMs), to: isoTime(end - spanMs) };
    time = timeBetween(end - spanMs, end);
    drillTime = { key: 'event_time', after: period.from, to: period.to };
    previousTime = timeBetween(end - 2 * spanMs, end - spanMs);
  } else {
    let from = filters.from ?? extent.first;
    let to = filters.to ?? extent.last;
    if (from > to) [from, to] = [to, from];
    const days = Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
    spanMs = days * DAY_MS;
    period = { from, to };
    previousPeriod = {
      from: isoDay(Date.parse(from) - days * DAY_MS),
      to: isoDay(Date.parse(from) - DAY_MS),
    };
    time = dateBetween(period.from, period.to);
    drillTime = { key: 'event_date', from: period.from, to: period.to };
    previousTime = dateBetween(previousPeriod.from, previousPeriod.to);
  }
  const grain: Grain =
    filters.grain !== 'auto'
      ? filters.grain
      : spanMs <= DAY_MS
        ? 'minute'
        : spanMs <= 31 * DAY_MS
          ? 'hour'
          : 'day';
  const silver = reasons.length > 0;
  const and = (parts: string[]) => parts.join(' AND ');
  return {
    source: silver ? 'silver' : 'gold',
    sourceReason: silver
      ? `Gold's tables have no ${reasons.join(', ')}: every panel reads Silver events.`
      : null,
    grain,
    wholeLake: filters.lastMinutes === undefined && period.from <= extent.first && period.to >= extent.last,
    period,
    previousPeriod,
    goldWhere: time,
    datesWhere: dateBetween(period.from.slice(0, 10), period.to.slice(0, 10)),
    goldPreviousWhere: previousTime,
    silverWhere: and([time, ...dims]),
    silverPreviousWhere: and([previousTime, ...dims]),
    drillWhere: [drillTime, ...dimensionConditions(filters)],
    drillDates: { key: 'event_date', from: period.from.slice(0, 10), to: period.to.slice(0, 10) },
  };
}

/** The filters Gold cannot answer (empty: Gold can). */
export function silverReasons(filters: DashboardFilters): string[] {
  const reasons: string[] = [];
  if (filters.eventTypes.length) reasons.push('event type');
  if (filters.categoryL1.length || filters.categoryL2.length) reasons.push('category');
  if (filters.brands.length) reasons.push('brand');
  if (filters.weekdays.length || filters.hours.length) reasons.push('day of week or hour');
  if (filters.lastMinutes !== undefined) reasons.push('a window finer than a day');
  return reasons;
}

function dateBetween(from: string, to: string): string {
  return `event_date BETWEEN ${quoteLiteral(from)}::DATE AND ${quoteLiteral(to)}::DATE`;
}

/** Half-open (start, end]: the newest event is in the window, an event exactly N minutes older is not. */
function timeBetween(startMs: number, endMs: number): string {
  return `event_time > make_timestamptz(${startMs * 1000}::BIGINT) AND event_time <= make_timestamptz(${endMs * 1000}::BIGINT)`;
}

/** "(none)" selects the events Gold files under it: those with no value. */
function inValues(column: string, values: string[]): string {
  const named = values.filter((v) => v !== NONE_VALUE);
  const parts: string[] = [];
  if (named.length) parts.push(`${column} IN (${named.map(quoteLiteral).join(', ')})`);
  if (named.length !== values.length) parts.push(`${column} IS NULL`);
  return `(${parts.join(' OR ')})`;
}

function dimensionPredicates(f: DashboardFilters): string[] {
  const parts: string[] = [];
  if (f.eventTypes.length) parts.push(inValues('event_type', f.eventTypes));
  if (f.categoryL1.length) parts.push(inValues('category_l1', f.categoryL1));
  if (f.categoryL2.length) parts.push(inValues('category_l2', f.categoryL2));
  if (f.brands.length) parts.push(inValues('brand', f.brands));
  // Numbers checked by the contract (integers in range), so they are safe to inline. Silver's event_date and
  // event_hour are the UTC day and hour: no per-row time zone conversion over the whole period.
  if (f.weekdays.length) parts.push(`isodow(event_date) IN (${f.weekdays.join(', ')})`);
  if (f.hours.length) parts.push(`event_hour IN (${f.hours.join(', ')})`);
  return parts;
}

/** The dimension filters as lineage conditions: grain keys whose expressions match dimensionPredicates. */
function dimensionConditions(f: DashboardFilters): LineageCondition[] {
  const conditions: LineageCondition[] = [];
  const add = (key: string, values: (string | number)[]) =>
    values.length && conditions.push({ key, in: values.map(String) });
  add('event_type', f.eventTypes);
  add('category_l1', f.categoryL1);
  add('category_l2', f.categoryL2);
  add('brand', f.brands);
  add('day_of_week', f.weekdays);
  add('hour', f.hours);
  return conditions;
}
