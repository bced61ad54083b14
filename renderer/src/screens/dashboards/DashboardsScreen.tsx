import { useMemo, useState } from 'react';
import {
  DASHBOARD_EVENT_TYPES,
  figureDrill,
  type DashboardFigure,
  type DashboardRow,
} from '../../../../pipeline/contract';
import type { ChartClick } from '../../components/Chart';
import { EmptyState } from '../../components/EmptyState';
import { formatDuration, formatTimestamp } from '../../lib/format';
import { useDarkMode } from '../../lib/theme';
import {
  DAYS,
  NONE,
  categoryBarOption,
  categoryTreemapOption,
  durationOption,
  funnelOption,
  heatmapOption,
  topProductsOption,
  trafficOption,
} from './chart-options';
import './dashboards.css';
import { describeFilters, filterChips, NO_FILTERS, type Filters } from './filters';
import { lineageLink } from '../explore/lineage-link';
import { Kpis } from './Kpis';
import { Panel } from './Panel';
import { LIVE_MS, useDashboardSnapshot } from './useDashboardSnapshot';

const isIsoDate = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text));
const toggle = <T,>(list: T[], value: T) =>
  list.includes(value) ? list.filter((v) => v !== value) : [...list, value];

/** Gold as KPIs and charts that follow the lake while a replay runs, filtered as the analyst chooses. */
export function DashboardsScreen() {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [live, setLive] = useState(true);
  const [windowMinutes, setWindowMinutes] = useState(30);
  const [showNone, setShowNone] = useState(true);
  const dark = useDarkMode();
  const snap = useDashboardSnapshot(filters, live);
  const data = snap.data;

  const charts = useMemo(() => {
    if (!data) return undefined;
    return {
      traffic: trafficOption(data.traffic, data.grain),
      funnel: funnelOption(data.funnel),
      categoryBar: categoryBarOption(data.categories, showNone),
      categoryTreemap: categoryTreemapOption(data.categories, showNone, dark),
      topProducts: topProductsOption(data.topProducts),
      heatmap: heatmapOption(data.heatmap, dark),
      durations: durationOption(data.durations),
    };
  }, [data, showNone, dark]);

  const tables = useMemo(() => {
    if (!data) return undefined;
    const categories = showNone ? data.categories : data.categories.filter((r) => r.category_l1 !== NONE);
    return {
      traffic: data.traffic.map((r) => ({
        time_utc: formatTimestamp(Number(r.t)),
        event_type: r.event_type ?? null,
        events: r.events ?? null,
      })),
      funnel: data.funnel,
      categories,
      topProducts: data.topProducts,
      heatmap: data.heatmap.map((r) => ({
        day: DAYS[Number(r.day) - 1] ?? null,
        hour_utc: r.hour ?? null,
        events: r.events ?? null,
      })),
      durations: data.durations.map((r) => ({ bucket: r.bucket ?? null, sessions: r.sessions ?? null })),
    } satisfies Record<string, DashboardRow[]>;
  }, [data, showNone]);

  if (snap.empty) {
    return (
      <EmptyState title="Dashboards">
        <p>
          Gold is empty: replay a dataset (or run “clickpulse build all”) and the charts appear here, live.
        </p>
      </EmptyState>
    );
  }

  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const lines = describeFilters(filters, data);
  const previous = data?.previousPeriod;
  const previousLabel = previous
    ? `${previous.from.replace('T', ' ').slice(0, 19)} – ${previous.to.replace('T', ' ').slice(0, 19)}`
    : '';
  const pickL1 = (name: string) => set({ categoryL1: [name], categoryL2: [] });
  const onTreemap = (c: ChartClick) => {
    const [l1, l2] = c.path ?? [];
    if (l1) set({ categoryL1: [l1], categoryL2: l2 ? [l2] : [] });
  };
  const onHeatmap = (c: ChartClick) => {
    const [hour, day] = (Array.isArray(c.value) ? c.value : []) as number[];
    if (hour !== undefined && day !== undefined) set({ weekdays: [day + 1], hours: [hour] });
  };
  const onProduct = (c: ChartClick) => {
    const row = data?.topProducts[data.topProducts.length - 1 - c.dataIndex];
    set({ brands: [row?.brand ? String(row.brand) : NONE] });
  };
  const onTraffic = (c: ChartClick) =>
    c.seriesName && set({ eventTypes: [c.seriesName as Filters['eventTypes'][number]] });

  // "Show the events behind this": the figure's Silver rows, as the Lineage screen drills them.
  const context = lines.slice(0, 2).join(' · ');
  const drill = (figure: DashboardFigure | undefined, what: string) => {
    const request = data && figure ? figureDrill(data, figure) : null;
    return request ? lineageLink(request, `${what} (${context})`) : undefined;
  };
  const num = (v: unknown) => Number(v ?? 0).toLocaleString('en-US', { maximumFractionDigits: 2 });
  const trafficFigure = (r: DashboardRow | undefined): DashboardFigure | undefined =>
    r && { kind: 'traffic', t: Number(r.t), eventType: String(r.event_type) };
  const trafficText = (r: DashboardRow | undefined) =>
    r ? `${num(r.events)} ${String(r.event_type)} events at ${formatTimestamp(Number(r.t))} UTC` : '';
  const trafficAt = (c: ChartClick) => {
    const [t] = (Array.isArray(c.value) ? c.value : []) as number[];
    return data?.traffic.find((r) => Number(r.t) === t && r.event_type === c.seriesName);
  };
  const categoryText = (l1: string, l2: string | undefined, revenue: unknown) =>
    `Revenue of ${l1}${l2 === undefined ? '' : ` / ${l2}`}: ${num(revenue)} USD`;
  const categoryRevenue = (l1: string, l2?: string) =>
    (data?.categories ?? [])
      .filter((r) => r.category_l1 === l1 && (l2 === undefined || r.category_l2 === l2))
      .reduce((n, r) => n + Number(r.revenue ?? 0), 0);
  // The category table under both category charts: a row drills to its level-1 and level-2 category.
  const categoryRowDrill = (i: number) => {
    const r = tables?.categories[i];
    if (!r) return undefined;
    const [l1, l2] = [String(r.category_l1), String(r.category_l2)];
    return drill({ kind: 'category', l1, l2 }, categoryText(l1, l2, r.revenue));
  };
  const productAt = (c: ChartClick) => data?.topProducts[data.topProducts.length - 1 - c.dataIndex];
  const productFigure = (r: DashboardRow | undefined): DashboardFigure | undefined =>
    r && { kind: 'product', productId: String(r.product_id) };
  const productText = (r: DashboardRow | undefined) =>
    r ? `Product ${String(r.product_id)}: ${num(r.views)} views, ${num(r.purchases)} purchases` : '';
  const heatmapFigure = (r: DashboardRow | undefined): DashboardFigure | undefined =>
    r && { kind: 'heatmap', day: Number(r.day), hour: Number(r.hour) };
  const heatmapText = (r: DashboardRow | undefined) =>
    r ? `${num(r.events)} events on ${DAYS[Number(r.day) - 1] ?? ''} at ${String(r.hour)}:00 UTC` : '';
  const heatmapAt = (c: ChartClick) => {
    const [hour, day] = (Array.isArray(c.value) ? c.value : []) as number[];
    return data?.heatmap.find((r) => Number(r.hour) === hour && Number(r.day) === Number(day) + 1);
  };
  const sessionsText = (what: string, sessions: unknown) => `${what}: ${num(sessions)} sessions`;

  return (
    <div className="dashboards">
      <div className="dash-toolbar" role="toolbar" aria-label="Dashboard filters">
        <label>
          From{' '}
          <input
            type="date"
            aria-label="From date"
            disabled={filters.lastMinutes !== undefined}
            min={data?.extent?.first}
            max={data?.extent?.last}
            value={filters.from ?? data?.period?.from.slice(0, 10) ?? ''}
            onChange={(e) => isIsoDate(e.target.value) && set({ from: e.target.value })}
          />
        </label>
        <label>
          To{' '}
          <input
            type="date"
            aria-label="To date"
            disabled={filters.lastMinutes !== undefined}
            min={data?.extent?.first}
            max={data?.extent?.last}
            value={filters.to ?? data?.period?.to.slice(0, 10) ?? ''}
            onChange={(e) => isIsoDate(e.target.value) && set({ to: e.target.value })}
          />
        </label>
        <label>
          By{' '}
          <select
            aria-label="Time grain"
            value={filters.grain}
            onChange={(e) => set({ grain: e.target.value as Filters['grain'] })}
          >
            <option value="auto">auto{data && filters.grain === 'auto' ? ` (${data.grain})` : ''}</option>
            <option value="minute">minute</option>
            <option value="hour">hour</option>
            <option value="day">day</option>
          </select>
        </label>
        <span className="dash-window">
          <label>
            <input
              type="checkbox"
              checked={filters.lastMinutes !== undefined}
              onChange={(e) => set({ lastMinutes: e.target.checked ? windowMinutes : undefined })}
            />{' '}
            Last
          </label>{' '}
          <input
            type="number"
            aria-label="Live window minutes"
            min={1}
            max={10080}
            value={windowMinutes}
            onChange={(e) => {
              const m = Math.min(10_080, Math.max(1, Math.round(Number(e.target.value)) || 1));
              setWindowMinutes(m);
              if (filters.lastMinutes !== undefined) set({ lastMinutes: m });
            }}
          />{' '}
          min of event time
        </span>
        <fieldset className="dash-types" aria-label="Event types">
          {DASHBOARD_EVENT_TYPES.map((t) => (
            <label key={t}>
              <input
                type="checkbox"
                checked={filters.eventTypes.includes(t)}
                onChange={() => set({ eventTypes: toggle(filters.eventTypes, t) })}
              />{' '}
              {t}
            </label>
          ))}
        </fieldset>
        <Choice
          label="Category"
          value={filters.categoryL1[0]}
          options={data?.options.categoryL1}
          onChange={(v) => set({ categoryL1: v ? [v] : [], categoryL2: [] })}
        />
        <Choice
          label="Subcategory"
          value={filters.categoryL2[0]}
          options={data?.options.categoryL2}
          onChange={(v) => set({ categoryL2: v ? [v] : [] })}
        />
        <Choice
          label="Brand"
          value={filters.brands[0]}
          options={data?.options.brands}
          onChange={(v) => set({ brands: v ? [v] : [] })}
        />
        <label>
          <input type="checkbox" checked={showNone} onChange={(e) => setShowNone(e.target.checked)} /> Show
          “(none)” categories
        </label>
        <label>
          <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} /> Live (every{' '}
          {LIVE_MS / 1000} s and on each Gold flush)
        </label>
      </div>
      <div className="dash-chips" aria-label="Active filters">
        {filterChips(filters).map((chip) => (
          <button
            key={chip.key}
            type="button"
            className="chip"
            aria-label={`Remove filter ${chip.label}`}
            onClick={() => setFilters(chip.without)}
          >
            {chip.label} ×
          </button>
        ))}
        {JSON.stringify(filters) !== JSON.stringify(NO_FILTERS) && (
          <button type="button" className="chip chip-clear" onClick={() => setFilters(NO_FILTERS)}>
            Clear all filters
          </button>
        )}
      </div>
      <p className="dash-status" role="status" aria-live="polite" data-testid="dashboard-status">
        {data ? (
          <>
            As of{' '}
            <strong>{data.latestEventTime ? `${formatTimestamp(data.latestEventTime)} UTC` : '–'}</strong>
            {data.source === 'gold' && data.goldWrittenAt && (
              <> · Gold written {formatTimestamp(data.goldWrittenAt).slice(11)} UTC</>
            )}
            {snap.behindReplaySeconds !== null && (
              <>
                {' '}
                ·{' '}
                <span data-testid="behind-replay">
                  {formatDuration(snap.behindReplaySeconds)} behind the replay
                </span>{' '}
                (event time)
              </>
            )}
            {data.sourceReason && <> · {data.sourceReason}</>}
            {' · '}
            {snap.refreshing ? 'refreshing…' : `refreshed in ${data.tookMs} ms`}
            {snap.staleBecauseRewriting && ' · Gold is being rewritten: showing the previous refresh'}
          </>
        ) : (
          'Loading the lake…'
        )}
        {snap.error && (
          <span role="alert" className="error-text">
            {' '}
            {snap.error}
          </span>
        )}
      </p>
      <Kpis
        kpis={data?.kpis}
        previous={data?.previous}
        previousLabel={previousLabel}
        drillHref={(kpi, shown) => drill({ kind: 'kpi', kpi }, shown)}
      />
      <div className="panels">
        <Panel
          title="Traffic by event type"
          rows={tables?.traffic}
          option={charts?.traffic}
          filterLines={lines}
          clickHint="click a point to filter by its event type or see the events behind it"
          onClick={onTraffic}
          filterLabel={(c) => (c.seriesName ? `event type ${c.seriesName}` : undefined)}
          drillOf={(c) => drill(trafficFigure(trafficAt(c)), trafficText(trafficAt(c)))}
          rowDrill={(i) => drill(trafficFigure(data?.traffic[i]), trafficText(data?.traffic[i]))}
        />
        <Panel
          title="Conversion funnel (sessions)"
          rows={tables?.funnel}
          option={charts?.funnel}
          filterLines={lines}
          note={
            data
              ? `${data.kpis.purchaseSessions.toLocaleString('en-US')} sessions purchased in all (with or without a cart event)`
              : undefined
          }
          clickHint="click a step to see the events of its sessions"
          drillOf={(c) =>
            drill({ kind: 'funnel', step: c.name }, sessionsText(`Funnel step ${c.name}`, c.value))
          }
          rowDrill={(i) => {
            const r = data?.funnel[i];
            return (
              r &&
              drill(
                { kind: 'funnel', step: String(r.step) },
                sessionsText(`Funnel step ${String(r.step)}`, r.sessions),
              )
            );
          }}
        />
        <Panel
          title="Revenue by category"
          rows={tables?.categories}
          option={charts?.categoryBar}
          filterLines={lines}
          clickHint="click a bar to filter by its category or see the events behind it"
          onClick={(c) => pickL1(c.name)}
          filterLabel={(c) => `Category: ${c.name}`}
          drillOf={(c) =>
            drill({ kind: 'category', l1: c.name }, categoryText(c.name, undefined, categoryRevenue(c.name)))
          }
          rowDrill={categoryRowDrill}
        />
        <Panel
          title="Revenue by category (treemap)"
          rows={tables?.categories}
          option={charts?.categoryTreemap}
          filterLines={lines}
          clickHint="click a cell to filter by it or see the events behind it"
          onClick={onTreemap}
          filterLabel={(c) => (c.path?.length ? `Category: ${c.path.join(' / ')}` : undefined)}
          drillOf={(c) => {
            const [l1, l2] = c.path ?? [];
            return l1
              ? drill({ kind: 'category', l1, l2 }, categoryText(l1, l2, categoryRevenue(l1, l2)))
              : undefined;
          }}
          rowDrill={categoryRowDrill}
        />
        <Panel
          title="Top products by views"
          rows={tables?.topProducts}
          option={charts?.topProducts}
          filterLines={lines}
          clickHint="click a bar to filter by its brand or see the events behind it"
          onClick={onProduct}
          filterLabel={(c) => `Brand: ${String(productAt(c)?.brand ?? NONE)}`}
          drillOf={(c) => drill(productFigure(productAt(c)), productText(productAt(c)))}
          rowDrill={(i) => drill(productFigure(data?.topProducts[i]), productText(data?.topProducts[i]))}
        />
        <Panel
          title="Events by day and hour (UTC)"
          rows={tables?.heatmap}
          option={charts?.heatmap}
          filterLines={lines}
          height={300}
          clickHint="click a cell to filter by its day and hour or see the events behind it"
          onClick={onHeatmap}
          filterLabel={(c) => {
            const r = heatmapAt(c);
            return r ? `${DAYS[Number(r.day) - 1] ?? ''} ${String(r.hour)}:00` : undefined;
          }}
          drillOf={(c) => drill(heatmapFigure(heatmapAt(c)), heatmapText(heatmapAt(c)))}
          rowDrill={(i) => drill(heatmapFigure(data?.heatmap[i]), heatmapText(data?.heatmap[i]))}
        />
        <Panel
          title="Session duration"
          rows={tables?.durations}
          option={charts?.durations}
          filterLines={lines}
          clickHint="click a bar to see the events of its sessions"
          drillOf={(c) =>
            drill({ kind: 'duration', bucket: c.name }, sessionsText(`Sessions lasting ${c.name}`, c.value))
          }
          rowDrill={(i) => {
            const r = data?.durations[i];
            const bucket = String(r?.bucket);
            return (
              r && drill({ kind: 'duration', bucket }, sessionsText(`Sessions lasting ${bucket}`, r.sessions))
            );
          }}
        />
      </div>
    </div>
  );
}

function Choice({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string | undefined;
  options: string[] | undefined;
  onChange: (value: string | undefined) => void;
}) {
  const all = options ?? [];
  const list = value && !all.includes(value) ? [value, ...all] : all;
  return (
    <label>
      {label}{' '}
      <select aria-label={label} value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">all</option>
        {list.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}
