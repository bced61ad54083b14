import type { DashboardRow } from '../../../../pipeline/contract';
import type { ChartOption, TooltipContent } from '../../components/chart-types';
import {
  formatCompact,
  formatDecimal,
  formatInteger,
  formatPercent,
  formatTimestamp,
} from '../../lib/format';

type Rows = DashboardRow[];
export const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
export const NONE = '(none)';
const n = (v: unknown) => Number(v ?? 0);
const money = (v: number) => `${formatDecimal(v)} USD`;

/** Axis labels that never overflow (12.3k, 2.69M); tooltips carry the exact value. */
const compactAxis = { axisLabel: { formatter: (v: number) => formatCompact(v) } };

/** Events per time bucket (the grain), one line per event type. */
export function trafficOption(rows: Rows, grain: string): ChartOption {
  const types = [...new Set(rows.map((r) => String(r.event_type)))];
  return {
    tooltip: {
      trigger: 'axis',
      formatter: (params: { seriesName: string; color: string; value: [number, number] }[]) => ({
        title: formatTimestamp(params[0]?.value[0]),
        rows: params.map((p) => ({ color: p.color, label: p.seriesName, value: formatInteger(p.value[1]) })),
      }),
    },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 56, right: 16, top: 32, bottom: 48 },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', name: `events/${grain}`, ...compactAxis },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
    series: types.map((type) => ({
      name: type,
      type: 'line',
      showSymbol: false,
      data: rows.filter((r) => r.event_type === type).map((r) => [n(r.t), n(r.events)]),
    })),
  };
}

/** Sessions that viewed → also carted → also purchased, with the share kept at each step. */
export function funnelOption(rows: Rows): ChartOption {
  const first = n(rows[0]?.sessions);
  const data = rows.map((r, i) => {
    const value = n(r.sessions);
    const before = i === 0 ? value : n(rows[i - 1]?.sessions);
    return {
      name: String(r.step),
      value,
      ofPrevious: before ? value / before : 0,
      ofFirst: first ? value / first : 0,
    };
  });
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: { dataIndex: number }): TooltipContent => {
        const d = data[p.dataIndex];
        if (!d) return '';
        return {
          title: `${d.name}: ${formatInteger(d.value)} sessions`,
          rows: [
            { label: 'of the step before', value: formatPercent(d.ofPrevious, 1) },
            { label: 'of sessions that viewed', value: formatPercent(d.ofFirst, 1) },
          ],
        };
      },
    },
    series: [
      {
        type: 'funnel',
        sort: 'none',
        minSize: '6%',
        gap: 2,
        left: '8%',
        width: '60%',
        label: {
          position: 'right',
          formatter: (p: { dataIndex: number }) => {
            const d = data[p.dataIndex];
            if (!d) return '';
            const share = p.dataIndex === 0 ? '' : ` · ${formatPercent(d.ofPrevious, 1)} of previous`;
            return `${d.name}: ${formatCompact(d.value)}${share}`;
          },
        },
        data: data.map(({ name, value }) => ({ name, value })),
      },
    ],
  };
}

function revenueByL1(rows: Rows, showNone: boolean): [string, number][] {
  const byL1 = new Map<string, number>();
  for (const r of rows) {
    const l1 = String(r.category_l1);
    if (!showNone && l1 === NONE) continue;
    byL1.set(l1, (byL1.get(l1) ?? 0) + n(r.revenue));
  }
  return [...byL1.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function categoryBarOption(rows: Rows, showNone: boolean): ChartOption {
  const top = revenueByL1(rows, showNone).slice(0, 12).reverse();
  return {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: unknown) => money(Number(v)),
    },
    grid: { left: 130, right: 24, top: 8, bottom: 24 },
    xAxis: { type: 'value', name: 'USD', ...compactAxis },
    yAxis: {
      type: 'category',
      data: top.map(([name]) => name),
      axisLabel: { width: 120, overflow: 'truncate' },
    },
    series: [{ type: 'bar', name: 'Revenue', data: top.map(([, v]) => Math.round(v * 100) / 100) }],
  };
}

/** Roughly the chart's area (a panel of the grid); a label shows only where its text fits its cell. */
const TREEMAP_AREA = 620 * 270;
const CHAR_PX = 7;

export function categoryTreemapOption(rows: Rows, showNone: boolean, dark: boolean): ChartOption {
  const tree = new Map<string, { name: string; value: number }[]>();
  let total = 0;
  for (const r of rows) {
    const revenue = n(r.revenue);
    const l1 = String(r.category_l1);
    if (revenue <= 0 || (!showNone && l1 === NONE)) continue;
    const children = tree.get(l1) ?? [];
    children.push({ name: String(r.category_l2), value: Math.round(revenue * 100) / 100 });
    tree.set(l1, children);
    total += revenue;
  }
  // Squarified cells are near-square: a side of sqrt(share × area) must hold the text and some padding.
  const fits = (text: string, value: number) =>
    total > 0 && text.length * CHAR_PX + 12 <= Math.sqrt((value / total) * TREEMAP_AREA);
  const label = (p: { name: string; value: number }) => (fits(p.name, p.value) ? p.name : '');
  return {
    tooltip: {
      formatter: (p: { treePathInfo: { name: string }[]; value: number }): TooltipContent => ({
        title: p.treePathInfo
          .slice(1)
          .map((x) => x.name)
          .join(' › '),
        rows: [
          { label: 'Revenue', value: money(p.value) },
          { label: 'Share', value: formatPercent(total ? p.value / total : 0, 1) },
        ],
      }),
    },
    series: [
      {
        type: 'treemap',
        roam: false,
        nodeClick: false,
        breadcrumb: { show: false },
        top: 4,
        bottom: 4,
        left: 4,
        right: 4,
        label: { show: true, formatter: label, overflow: 'truncate' },
        // The level-1 categories carry their name in a strip above their children; the root carries none.
        levels: [
          { itemStyle: { borderWidth: 0, gapWidth: 2 }, upperLabel: { show: false } },
          {
            itemStyle: { gapWidth: 1, borderWidth: 2, borderColor: dark ? '#1e2128' : '#ffffff' },
            upperLabel: { show: true, height: 18, formatter: label, overflow: 'truncate', color: '#ffffff' },
          },
          { itemStyle: { borderWidth: 0 }, upperLabel: { show: false } },
        ],
        data: [...tree.entries()].map(([name, children]) => ({ name, children })),
      },
    ],
  };
}

export function topProductsOption(rows: Rows): ChartOption {
  const data = [...rows].reverse();
  return {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: unknown) => formatInteger(Number(v)),
    },
    legend: { top: 0 },
    grid: { left: 170, right: 24, top: 28, bottom: 24 },
    xAxis: { type: 'value', ...compactAxis },
    yAxis: {
      type: 'category',
      data: data.map((r) => `${String(r.product_id)}${r.brand ? ` (${String(r.brand)})` : ''}`),
      axisLabel: { width: 160, overflow: 'truncate' },
    },
    series: [
      { type: 'bar', name: 'Views', data: data.map((r) => n(r.views)) },
      { type: 'bar', name: 'Purchases', data: data.map((r) => n(r.purchases)) },
    ],
  };
}

/**
 * Day × hour cells shaded by events through a visualMap (with its legend): the quietest cell is the one
 * closest to the panel's background in either theme, the busiest the one furthest from it.
 */
export function heatmapOption(rows: Rows, dark: boolean): ChartOption {
  const max = Math.max(1, ...rows.map((r) => n(r.events)));
  return {
    tooltip: {
      formatter: (p: { value: [number, number, number] }) =>
        `${DAYS[p.value[1]] ?? ''} ${String(p.value[0]).padStart(2, '0')}:00–${String(p.value[0]).padStart(2, '0')}:59 UTC\n${formatInteger(p.value[2])} events`,
    },
    grid: { left: 48, right: 16, top: 8, bottom: 64 },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h)), name: 'hour (UTC)' },
    yAxis: { type: 'category', data: DAYS, inverse: true },
    visualMap: {
      type: 'continuous',
      min: 0,
      max,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 160,
      itemWidth: 12,
      text: ['busiest', 'quietest'],
      formatter: (v: number) => formatCompact(v),
      inRange: { color: heatmapColours(dark) },
    },
    series: [
      {
        type: 'heatmap',
        data: rows.map((r) => [n(r.hour), n(r.day) - 1, n(r.events)]),
        emphasis: { itemStyle: { borderColor: dark ? '#fff' : '#000', borderWidth: 1 } },
      },
    ],
  };
}

/** From near the panel's background to a strong accent. */
export function heatmapColours(dark: boolean): string[] {
  return dark
    ? ['#252a36', '#2f4a8a', '#4c6ef5', '#91a7ff', '#e5ebff']
    : ['#f1f4ff', '#bac8ff', '#748ffc', '#3b5bdb', '#1c2f8a'];
}

export function durationOption(rows: Rows): ChartOption {
  return {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: unknown) => `${formatInteger(Number(v))} sessions`,
    },
    grid: { left: 56, right: 16, top: 24, bottom: 32 },
    xAxis: { type: 'category', data: rows.map((r) => String(r.bucket)) },
    yAxis: { type: 'value', name: 'sessions', ...compactAxis },
    series: [{ type: 'bar', name: 'Sessions', data: rows.map((r) => n(r.sessions)) }],
  };
}
