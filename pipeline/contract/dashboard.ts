import { z } from 'zod';
import { call, type CallSpec, type EventSpec } from './define';
import { LineageCondition } from './explore';

// Calls of the dashboards domain: every panel of the Dashboards screen from one read of the lake.

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2019-10-01')
  .refine((d) => !Number.isNaN(Date.parse(d)), 'a real calendar date');
const Values = z.array(z.string().min(1).max(300)).max(200);

export const DASHBOARD_EVENT_TYPES = ['view', 'cart', 'remove_from_cart', 'purchase'] as const;
/** The value filters use for an empty category or brand (Gold writes it so). */
export const NONE_VALUE = '(none)';

export const DashboardFilters = z
  .object({
    /** Event dates, inclusive (UTC). Omitted: the lake's first / last day. */
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    /** Bucket of the traffic chart; "auto" picks from the span (minute ≤ 1 day, hour ≤ 31 days, else day). */
    grain: z.enum(['auto', 'minute', 'hour', 'day']).default('auto'),
    eventTypes: z.array(z.enum(DASHBOARD_EVENT_TYPES)).max(4).default([]),
    categoryL1: Values.default([]),
    categoryL2: Values.default([]),
    brands: Values.default([]),
    /** A heatmap cell: ISO days of week (1 = Monday) and UTC hours of day. */
    weekdays: z.array(z.number().int().min(1).max(7)).max(7).default([]),
    hours: z.array(z.number().int().min(0).max(23)).max(24).default([]),
    /** Live window: only the last N minutes of event time before the newest event (wins over from/to). */
    lastMinutes: z.number().int().min(1).max(10_080).optional(),
  })
  .strict();
export type DashboardFilters = z.output<typeof DashboardFilters>;
export type DashboardFiltersInput = z.input<typeof DashboardFilters>;

/** The session-duration panel's buckets: at least the previous bound, less than `below` seconds. */
export const SESSION_DURATION_BUCKETS: { label: string; below: number | null }[] = [
  { label: '< 10 s', below: 10 },
  { label: '10–60 s', below: 60 },
  { label: '1–5 min', below: 300 },
  { label: '5–30 min', below: 1800 },
  { label: '≥ 30 min', below: null },
];

/** The Silver rows one snapshot's figures read, as a lineage drill (lineage.rows) before the figure's own keys. */
export const DashboardDrill = z.object({ table: z.string(), where: z.array(LineageCondition) });
export type DashboardDrill = z.infer<typeof DashboardDrill>;

const Row = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));
export type DashboardRow = z.infer<typeof Row>;

export const DashboardKpis = z.object({
  users: z.number(),
  sessions: z.number(),
  views: z.number(),
  carts: z.number(),
  purchases: z.number(),
  revenue: z.number(),
  /** Sessions with a purchase (an order where the source has no order id). */
  orders: z.number(),
  viewSessions: z.number(),
  purchaseSessions: z.number(),
  /** Of the sessions that carted, the share without a purchase; null when none carted. */
  cartAbandonment: z.number().nullable(),
});
export type DashboardKpis = z.infer<typeof DashboardKpis>;

export const DashboardSnapshot = z.object({
  /** False while the lake has no Gold yet (the screen says so instead of showing zeros). */
  ready: z.boolean(),
  /** Gold when only dates are filtered; Silver when a filter needs a dimension Gold's tables lack. */
  source: z.enum(['gold', 'silver']),
  /** Why Silver was read (null for Gold). */
  sourceReason: z.string().nullable(),
  /** When the Gold files read were written (ISO), and the newest event time they hold. */
  goldWrittenAt: z.string().nullable(),
  latestEventTime: z.string().nullable(),
  /** The lake's first and last event date, and the period shown (after defaults and the live window). */
  extent: z.object({ first: z.string(), last: z.string() }).nullable(),
  period: z.object({ from: z.string(), to: z.string() }).nullable(),
  previousPeriod: z.object({ from: z.string(), to: z.string() }).nullable(),
  grain: z.enum(['minute', 'hour', 'day']),
  /**
   * True when every Gold table read agrees on the lake's totals (views, purchases, revenue): they come from
   * the same Gold refresh. False only if a refresh kept rewriting Gold through every retry.
   */
  consistent: z.boolean(),
  kpis: DashboardKpis,
  previous: DashboardKpis,
  traffic: z.array(Row),
  funnel: z.array(Row),
  categories: z.array(Row),
  topProducts: z.array(Row),
  heatmap: z.array(Row),
  durations: z.array(Row),
  /** Choices for the filters (within the period): level-1 and level-2 categories and brands by views. */
  options: z.object({
    categoryL1: z.array(z.string()),
    categoryL2: z.array(z.string()),
    brands: z.array(z.string()),
  }),
  /**
   * "Show the events behind this": the drill of the events the event figures count (views, revenue, traffic,
   * categories, heatmap), of the sessions the session figures count, and of the top products' events.
   */
  drill: z.object({ events: DashboardDrill, sessions: DashboardDrill, products: DashboardDrill }).nullable(),
  tookMs: z.number(),
});
export type DashboardSnapshot = z.infer<typeof DashboardSnapshot>;

export const dashboardCalls = {
  'dashboard.snapshot': call(
    'Every KPI and chart of the Dashboards screen, filtered, from one pinned set of lake files.',
    DashboardFilters,
    DashboardSnapshot,
  ),
} satisfies Record<string, CallSpec>;

export const dashboardEvents = {} satisfies Record<string, EventSpec>;
