import { useMemo, useState } from 'react';
import { DASHBOARD_EVENT_TYPES, type DashboardRow } from '../../../../pipeline/contract';
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
      <Kpis kpis={data?.kpis} previous={data?.previous} previousLabel={previousLabel} />
      <div className="panels">
        <Panel
          title="Traffic by event type"
          rows={tables?.traffic}
          option={charts?.traffic}
          filterLines={lines}
          clickHint="click a line to filter by its event type"
          onClick={onTraffic}
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
        />
        <Panel
          title="Revenue by category"
          rows={tables?.categories}
          option={charts?.categoryBar}
          filterLines={lines}
          clickHint="click a bar to filter by its category"
          onClick={(c) => pickL1(c.name)}
        />
        <Panel
          title="Revenue by category (treemap)"
          rows={tables?.categories}
          option={charts?.categoryTreemap}
          filterLines={lines}
          clickHint="click a cell to filter by it"
          onClick={onTreemap}
        />
        <Panel
          title="Top products by views"
          rows={tables?.topProducts}
          option={charts?.topProducts}
          filterLines={lines}
          clickHint="click a bar to filter by its brand"
          onClick={onProduct}
        />
        <Panel
          title="Events by day and hour (UTC)"
          rows={tables?.heatmap}
          option={charts?.heatmap}
          filterLines={lines}
          height={300}
          clickHint="click a cell to filter by its day and hour"
          onClick={onHeatmap}
        />
        <Panel
          title="Session duration"
          rows={tables?.durations}
          option={charts?.durations}
          filterLines={lines}
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
