import { useEffect, useRef, useState } from 'react';
import { num, queryRows } from '../../api/queryRows';
import { Chart, saveChartPng, type ChartOption } from '../../components/Chart';
import { EmptyState } from '../../components/EmptyState';
import { formatCompact, formatDecimal, formatInteger, formatPercent } from '../../lib/format';
import { isDark } from '../../lib/theme';
import {
  categoryBarOption,
  categoryTreemapOption,
  durationOption,
  funnelOption,
  heatmapOption,
  topProductsOption,
  trafficOption,
} from './chart-options';
import { dashboardSql, isIsoDate, type DateRange } from './queries';

interface Data {
  kpis: Record<string, unknown>;
  charts: Record<string, ChartOption>;
}

const LIVE_MS = 5000;
type EChartsLike = Parameters<typeof saveChartPng>[0];

/** Gold as charts that follow the lake while a replay runs, over a date range the analyst picks. */
export function DashboardsScreen() {
  const [range, setRange] = useState<DateRange>();
  const [data, setData] = useState<Data>();
  const [error, setError] = useState<string>();
  const [empty, setEmpty] = useState(false);
  const [live, setLive] = useState(true);
  const [tick, setTick] = useState(0);
  const charts = useRef(new Map<string, EChartsLike>());

  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setTick((t) => t + 1), LIVE_MS);
    return () => clearInterval(timer);
  }, [live]);

  useEffect(() => {
    let current = true;
    const load = async () => {
      try {
        const [dates] = await queryRows(dashboardSql.dates);
        if (!dates?.first) {
          if (current) setEmpty(true);
          return;
        }
        const full = { from: isoDate(dates.first), to: isoDate(dates.last) };
        const r = range ?? full;
        if (!range && current) setRange(full);
        const [kpis, traffic, funnel, categories, products, heatmap, durations] = await Promise.all([
          queryRows(dashboardSql.kpis(r)),
          queryRows(dashboardSql.traffic(r), 10_000),
          queryRows(dashboardSql.funnel(r)),
          queryRows(dashboardSql.categories(r)),
          queryRows(dashboardSql.topProducts(r)),
          queryRows(dashboardSql.heatmap(r)),
          queryRows(dashboardSql.durations(r)),
        ]);
        if (!current) return;
        setEmpty(false);
        setError(undefined);
        setData({
          kpis: kpis[0] ?? {},
          charts: {
            traffic: trafficOption(traffic),
            funnel: funnelOption(funnel[0]),
            categoryBar: categoryBarOption(categories),
            categoryTreemap: categoryTreemapOption(categories),
            topProducts: topProductsOption(products),
            heatmap: heatmapOption(heatmap),
            durations: durationOption(durations),
          },
        });
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (!current) return;
        if (/gold\.|does not exist|not found/i.test(message)) setEmpty(true);
        else setError(message);
      }
    };
    void load();
    return () => {
      current = false;
    };
  }, [range, tick]);

  if (empty) {
    return (
      <EmptyState title="Dashboards">
        <p>
          Gold is empty: replay a dataset (or run “clickpulse build all”) and the charts appear here, live.
        </p>
      </EmptyState>
    );
  }

  const k = data?.kpis ?? {};
  const panel = (id: string, title: string, height = 280) => (
    <section className="panel" aria-label={title}>
      <header>
        <h3>{title}</h3>
        <button
          type="button"
          aria-label={`Save ${title} as PNG`}
          onClick={() => {
            const chart = charts.current.get(id);
            if (chart)
              saveChartPng(chart, title.replace(/\W+/g, '-').toLowerCase(), isDark() ? '#1e2128' : '#ffffff');
          }}
        >
          PNG
        </button>
      </header>
      {data?.charts[id] ? (
        <Chart
          label={title}
          option={data.charts[id]}
          height={height}
          onReady={(chart) => (chart ? charts.current.set(id, chart) : charts.current.delete(id))}
        />
      ) : (
        <p className="muted">Loading…</p>
      )}
    </section>
  );

  return (
    <div className="dashboards">
      <div className="dash-toolbar" role="toolbar" aria-label="Dashboard filters">
        <label>
          From{' '}
          <input
            type="date"
            aria-label="From date"
            value={range?.from ?? ''}
            onChange={(e) =>
              isIsoDate(e.target.value) && range && setRange({ ...range, from: e.target.value })
            }
          />
        </label>
        <label>
          To{' '}
          <input
            type="date"
            aria-label="To date"
            value={range?.to ?? ''}
            onChange={(e) => isIsoDate(e.target.value) && range && setRange({ ...range, to: e.target.value })}
          />
        </label>
        <label>
          <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} /> Live (every{' '}
          {LIVE_MS / 1000} s)
        </label>
        {error && (
          <span role="alert" className="error-text">
            {error}
          </span>
        )}
      </div>
      <div className="kpis" aria-label="Key figures">
        <Kpi label="Users" value={formatInteger(num(k.users))} />
        <Kpi label="Sessions" value={formatInteger(num(k.sessions))} />
        <Kpi label="Views" value={formatInteger(num(k.views))} />
        <Kpi label="Purchases" value={formatInteger(num(k.purchases))} />
        <Kpi
          label="Conversion (sessions)"
          value={formatPercent(num(k.purchase_sessions) / num(k.view_sessions))}
        />
        <Kpi label="Revenue" value={formatDecimal(num(k.revenue))} />
        <Kpi label="Avg. order value" value={formatDecimal(num(k.revenue) / num(k.orders))} />
        <Kpi label="Cart abandonment" value={formatPercent(num(k.cart_abandonment))} />
      </div>
      <div className="panels">
        {panel('traffic', 'Traffic by event type')}
        {panel('funnel', 'Conversion funnel')}
        {panel('categoryBar', 'Revenue by category')}
        {panel('categoryTreemap', 'Revenue by category (treemap)')}
        {panel('topProducts', 'Top products by views')}
        {panel('heatmap', 'Events by day and hour (UTC)')}
        {panel('durations', 'Session duration')}
      </div>
    </div>
  );
}

function Kpi({ label, value }: { label: string; value: string }) {
  return (
    <div className="kpi" role="group" aria-label={label}>
      <span className="kpi-label">{label}</span>
      <span className="kpi-value" title={value}>
        {value.length > 14 ? formatCompact(Number(value.replace(/,/g, ''))) : value}
      </span>
    </div>
  );
}

function isoDate(value: unknown): string {
  return new Date(num(value instanceof Date ? value.getTime() : value)).toISOString().slice(0, 10);
}
