import type { DashboardFiltersInput, DashboardSnapshot } from '../../../../pipeline/contract';
import { DAYS } from './chart-options';

export type Filters = Required<
  Pick<DashboardFiltersInput, 'eventTypes' | 'categoryL1' | 'categoryL2' | 'brands' | 'weekdays' | 'hours'>
> &
  Pick<DashboardFiltersInput, 'from' | 'to' | 'lastMinutes'> & {
    grain: 'auto' | 'minute' | 'hour' | 'day';
  };

export const NO_FILTERS: Filters = {
  grain: 'auto',
  eventTypes: [],
  categoryL1: [],
  categoryL2: [],
  brands: [],
  weekdays: [],
  hours: [],
};

/** The filters as removable chips: a label, and the filters without it. */
export function filterChips(f: Filters): { key: string; label: string; without: Filters }[] {
  const chips: { key: string; label: string; without: Filters }[] = [];
  const list = (key: 'eventTypes' | 'categoryL1' | 'categoryL2' | 'brands', name: string) => {
    if (f[key].length)
      chips.push({ key, label: `${name}: ${f[key].join(', ')}`, without: { ...f, [key]: [] } });
  };
  list('eventTypes', 'Event type');
  list('categoryL1', 'Category');
  list('categoryL2', 'Subcategory');
  list('brands', 'Brand');
  if (f.weekdays.length)
    chips.push({
      key: 'weekdays',
      label: `Day: ${f.weekdays.map((d) => DAYS[d - 1]).join(', ')}`,
      without: { ...f, weekdays: [] },
    });
  if (f.hours.length)
    chips.push({
      key: 'hours',
      label: `Hour (UTC): ${f.hours.map((h) => `${h}:00`).join(', ')}`,
      without: { ...f, hours: [] },
    });
  return chips;
}

/** What a PNG's header says: the period shown and every filter. */
export function describeFilters(f: Filters, snapshot: DashboardSnapshot | undefined): string[] {
  const period = snapshot?.period;
  const lines = [
    f.lastMinutes !== undefined
      ? `Last ${f.lastMinutes} minutes of event time${period ? ` (${period.from} – ${period.to})` : ''}`
      : `Dates (UTC): ${period ? `${period.from} – ${period.to}` : 'all'} · by ${snapshot?.grain ?? f.grain}`,
  ];
  const chips = filterChips(f).map((c) => c.label);
  lines.push(chips.length ? chips.join(' · ') : 'No other filters');
  if (snapshot?.latestEventTime)
    lines.push(`As of ${snapshot.latestEventTime.replace('T', ' ').slice(0, 19)} UTC`);
  return lines;
}
