import { SESSION_DURATION_BUCKETS, type DashboardSnapshot } from './dashboard';
import type { LineageCondition, LineageRequest, LineageSessions } from './explore';

/** A figure of the Dashboards screen: a KPI card, or one bar, cell, point or table row of a panel. */
export type DashboardFigure =
  | { kind: 'kpi'; kpi: string }
  | { kind: 'traffic'; t: number; eventType: string }
  | { kind: 'funnel'; step: string }
  | { kind: 'category'; l1: string; l2?: string | undefined }
  | { kind: 'product'; productId: string }
  | { kind: 'heatmap'; day: number; hour: number }
  | { kind: 'duration'; bucket: string };

/** KPIs counted over events of one type; the others (but Users) are figures of sessions. */
const KPI_EVENT_TYPE: Record<string, string> = {
  Views: 'view',
  Purchases: 'purchase',
  Revenue: 'purchase',
  'Avg. order value': 'purchase',
};

const GRAIN_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * "Show the events behind this" for a dashboard figure: the snapshot's drill (its period and filters as
 * conditions on grain keys) narrowed by the figure's own keys — exactly the Silver rows the panel's SQL
 * aggregated into that figure. Null before the snapshot is ready or for a figure it does not know.
 */
export function figureDrill(
  snapshot: Pick<DashboardSnapshot, 'drill' | 'grain'>,
  figure: DashboardFigure,
): (LineageRequest & { where: LineageCondition[] }) | null {
  const d = snapshot.drill;
  if (!d) return null;
  const on = (
    base: { table: string; where: LineageCondition[] },
    table: string,
    extra: LineageCondition[],
  ) => ({
    table: base.table === 'funnel_daily' ? table : base.table,
    where: [...base.where, ...extra],
  });
  const withSessions = (sessions: LineageSessions) => ({ ...on(d.sessions, 'session_stats', []), sessions });
  switch (figure.kind) {
    case 'kpi': {
      const type = KPI_EVENT_TYPE[figure.kpi];
      if (type) return on(d.events, 'funnel_daily', [{ key: 'event_type', in: [type] }]);
      if (figure.kpi === 'Cart abandonment') return withSessions({ carted: true });
      // Users are those with an event in the period (kpiSql), not the sessions' first users.
      if (figure.kpi === 'Users') return on(d.events, 'funnel_daily', []);
      return on(d.sessions, 'session_stats', []);
    }
    case 'traffic':
      return on(d.events, 'traffic_minute', [
        { key: 'event_type', in: [figure.eventType] },
        {
          key: 'event_time',
          from: new Date(figure.t).toISOString(),
          before: new Date(figure.t + GRAIN_MS[snapshot.grain]).toISOString(),
        },
      ]);
    case 'funnel': {
      const steps = ['Viewed', 'Carted', 'Purchased'];
      const at = steps.indexOf(figure.step);
      if (at < 0) return null;
      return withSessions({
        viewed: true,
        ...(at >= 1 ? { carted: true } : {}),
        ...(at >= 2 ? { purchased: true } : {}),
      });
    }
    case 'category':
      return on(d.events, 'category_daily', [
        { key: 'category_l1', in: [figure.l1] },
        ...(figure.l2 === undefined ? [] : [{ key: 'category_l2', in: [figure.l2] }]),
      ]);
    case 'product':
      return on(d.products, 'product_performance', [{ key: 'product_id', in: [figure.productId] }]);
    case 'heatmap':
      return on(d.events, 'hourly_heatmap', [
        { key: 'day_of_week', in: [String(figure.day)] },
        { key: 'hour', in: [String(figure.hour)] },
      ]);
    case 'duration': {
      const at = SESSION_DURATION_BUCKETS.findIndex((b) => b.label === figure.bucket);
      if (at < 0) return null;
      const below = SESSION_DURATION_BUCKETS[at]?.below;
      const above = at > 0 ? SESSION_DURATION_BUCKETS[at - 1]?.below : null;
      return withSessions({
        ...(above ? { minDurationS: above } : {}),
        ...(below ? { maxDurationS: below } : {}),
      });
    }
  }
}
