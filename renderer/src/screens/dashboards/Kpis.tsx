import type { DashboardKpis } from '../../../../pipeline/contract';
import { formatCompact, formatDecimal, formatInteger, formatPercent } from '../../lib/format';

type Kind = 'count' | 'money' | 'ratio';
interface KpiSpec {
  label: string;
  unit: string;
  kind: Kind;
  value: (k: DashboardKpis) => number | null;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

const KPIS: KpiSpec[] = [
  { label: 'Users', unit: 'users', kind: 'count', value: (k) => k.users },
  { label: 'Sessions', unit: 'sessions', kind: 'count', value: (k) => k.sessions },
  { label: 'Views', unit: 'events', kind: 'count', value: (k) => k.views },
  { label: 'Purchases', unit: 'events', kind: 'count', value: (k) => k.purchases },
  {
    label: 'Conversion (sessions)',
    unit: 'of sessions that viewed',
    kind: 'ratio',
    value: (k) => ratio(k.purchaseSessions, k.viewSessions),
  },
  { label: 'Revenue', unit: 'USD', kind: 'money', value: (k) => k.revenue },
  { label: 'Avg. order value', unit: 'USD', kind: 'money', value: (k) => ratio(k.revenue, k.orders) },
  {
    label: 'Cart abandonment',
    unit: 'of sessions that carted',
    kind: 'ratio',
    value: (k) => k.cartAbandonment,
  },
];

/** Exact figures up to 10,000; beyond, compact (12.3k, 2.69M) so a card never overflows. */
function shown(value: number | null, kind: Kind): string {
  if (value === null) return '–';
  if (kind === 'ratio') return formatPercent(value);
  if (Math.abs(value) >= 10_000) return formatCompact(value);
  return kind === 'money' ? formatDecimal(value) : formatInteger(value);
}

function exact(value: number | null, kind: Kind, unit: string): string {
  if (value === null) return 'no data';
  if (kind === 'ratio') return `${formatPercent(value, 4)} ${unit}`;
  return `${kind === 'money' ? formatDecimal(value) : formatInteger(value)} ${unit}`;
}

function change(now: number | null, before: number | null, kind: Kind): { text: string; trend: string } {
  if (now === null || before === null) return { text: 'no figure to compare', trend: 'flat' };
  if (kind === 'ratio') {
    const points = (now - before) * 100;
    return { text: `${points >= 0 ? '+' : '−'}${Math.abs(points).toFixed(2)} pp`, trend: trendOf(points) };
  }
  if (before === 0) return { text: now === 0 ? '±0' : 'new (0 before)', trend: now === 0 ? 'flat' : 'up' };
  const pct = ((now - before) / before) * 100;
  return { text: `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)} %`, trend: trendOf(pct) };
}

const trendOf = (d: number) => (Math.abs(d) < 1e-9 ? 'flat' : d > 0 ? 'up' : 'down');

/** The KPI cards; while nothing has loaded they say so (never a made-up 0). */
export function Kpis({
  kpis,
  previous,
  previousLabel,
  drillHref,
}: {
  kpis: DashboardKpis | undefined;
  previous: DashboardKpis | undefined;
  previousLabel: string;
  /** The link to the events behind a card's figure (the Lineage screen), by the card's label. */
  drillHref?: (label: string, shown: string) => string | undefined;
}) {
  return (
    <div className="kpis" aria-label="Key figures" aria-busy={kpis ? undefined : true}>
      {KPIS.map((spec) => {
        if (!kpis)
          return (
            <div key={spec.label} className="kpi kpi-loading" role="group" aria-label={spec.label}>
              <span className="kpi-label">{spec.label}</span>
              <span className="kpi-value" title="Loading…">
                …
              </span>
              <span className="kpi-unit">{spec.unit}</span>
            </div>
          );
        const value = spec.value(kpis);
        const before = previous ? spec.value(previous) : null;
        const delta = change(value, before, spec.kind);
        const href = drillHref?.(spec.label, `${spec.label}: ${exact(value, spec.kind, spec.unit)}`);
        return (
          <div key={spec.label} className="kpi" role="group" aria-label={spec.label}>
            <span className="kpi-label">{spec.label}</span>
            <span className="kpi-value" title={exact(value, spec.kind, spec.unit)} data-value={value ?? ''}>
              {shown(value, spec.kind)}
            </span>
            <span className="kpi-unit">{spec.unit}</span>
            <span
              className={`kpi-delta kpi-${delta.trend}`}
              title={`Previous period (${previousLabel}): ${exact(before, spec.kind, spec.unit)}`}
            >
              {delta.text.startsWith('no') || delta.text.startsWith('new')
                ? delta.text
                : `${delta.text} vs previous`}
            </span>
            {href && (
              <a className="kpi-drill" href={href} aria-label={`Show the events behind ${spec.label}`}>
                events ›
              </a>
            )}
          </div>
        );
      })}
    </div>
  );
}
