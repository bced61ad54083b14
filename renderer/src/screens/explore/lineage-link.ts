import type { LineageCondition, LineageRequest, LineageSessions } from '../../../../pipeline/contract';
import { screenLink } from './hash-params';

/** What the Lineage screen drills: one Gold row (its keys), or a figure over several (conditions). */
export interface LineageTarget {
  table: string;
  key: Record<string, string>;
  where: LineageCondition[];
  sessions?: LineageSessions | undefined;
  /** What the figure is, as the screen it came from showed it ("Views: 987 (2019-10-01 – 2019-10-01)"). */
  figure?: string | undefined;
}

/** A link that opens the Lineage screen on a drill: "Show the events behind this". */
export function lineageLink(request: LineageRequest, figure?: string): string {
  const params: Record<string, string> = { table: request.table, ...(request.key ?? {}) };
  if (request.where?.length) params.where = JSON.stringify(request.where);
  if (request.sessions) params.sessions = JSON.stringify(request.sessions);
  if (figure) params.figure = figure;
  return screenLink('lineage', params);
}

/** Reads a drill's conditions back from the link; a hand-edited link that is not JSON is no conditions. */
export function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** A condition as a reader says it: "category_l1 = electronics", "event_date 2019-10-01 … 2019-10-07". */
export function describeCondition(c: LineageCondition): string {
  const parts: string[] = [];
  if (c.in) parts.push(c.in.length === 1 ? `= ${c.in[0]}` : `in ${c.in.join(', ')}`);
  if (c.from !== undefined) parts.push(`≥ ${c.from}`);
  if (c.after !== undefined) parts.push(`> ${c.after}`);
  if (c.to !== undefined) parts.push(`≤ ${c.to}`);
  if (c.before !== undefined) parts.push(`< ${c.before}`);
  return `${c.key} ${parts.join(' and ')}`;
}

export function describeSessions(s: LineageSessions): string {
  const flags = (['viewed', 'carted', 'purchased'] as const)
    .filter((f) => s[f] !== undefined)
    .map((f) => (s[f] ? f : `not ${f}`));
  const duration = [
    s.minDurationS !== undefined ? `at least ${s.minDurationS} s` : '',
    s.maxDurationS !== undefined ? `under ${s.maxDurationS} s` : '',
  ].filter(Boolean);
  return `sessions that ${[...flags, ...(duration.length ? [`lasted ${duration.join(' and ')}`] : [])].join(', ')}`;
}
