import type { ChartOption } from '../../components/Chart';
import { num } from '../../api/queryRows';
import { formatCompact, formatDecimal } from '../../lib/format';

type Rows = Record<string, unknown>[];
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Events per minute, one line per event type. */
export function trafficOption(rows: Rows): ChartOption {
  const types = [...new Set(rows.map((r) => String(r.event_type)))];
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 48 },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', name: 'events/min' },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
    series: types.map((type) => ({
      name: type,
      type: 'line',
      showSymbol: false,
      data: rows.filter((r) => r.event_type === type).map((r) => [num(r.minute), num(r.events)]),
    })),
  };
}

/** Events at each step (view → cart → purchase); the tooltip adds the sessions that reached it. */
export function funnelOption(row: Record<string, unknown> | undefined): ChartOption {
  const steps = [
    ['Views', num(row?.view), num(row?.view_sessions)],
    ['Carts', num(row?.cart), num(row?.cart_sessions)],
    ['Purchases', num(row?.purchase), num(row?.purchase_sessions)],
  ] as const;
  const sessions = new Map<string, number>(steps.map(([name, , s]) => [name, s]));
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; value: number }) =>
        `${p.name}: ${p.value} events in ${sessions.get(p.name) ?? 0} sessions`,
    },
    series: [
      {
        type: 'funnel',
        sort: 'none',
        minSize: '8%',
        label: { formatter: '{b}: {c}' },
        data: steps.map(([name, value]) => ({ name, value })),
      },
    ],
  };
}

export function categoryBarOption(rows: Rows): ChartOption {
  const byL1 = new Map<string, number>();
  for (const r of rows)
    byL1.set(String(r.category_l1), (byL1.get(String(r.category_l1)) ?? 0) + num(r.revenue));
  const top = [...byL1.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .reverse();
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => formatDecimal(Number(v)) },
    grid: { left: 140, right: 24, top: 8, bottom: 24 },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatCompact(v) } },
    yAxis: { type: 'category', data: top.map(([name]) => name) },
    series: [{ type: 'bar', name: 'Revenue', data: top.map(([, v]) => Math.round(v * 100) / 100) }],
  };
}

export function categoryTreemapOption(rows: Rows): ChartOption {
  const tree = new Map<string, { name: string; value: number }[]>();
  for (const r of rows) {
    const revenue = num(r.revenue);
    if (revenue <= 0) continue;
    const children = tree.get(String(r.category_l1)) ?? [];
    children.push({ name: String(r.category_l2), value: Math.round(revenue * 100) / 100 });
    tree.set(String(r.category_l1), children);
  }
  return {
    tooltip: { formatter: (p: { name: string; value: number }) => `${p.name}: ${formatDecimal(p.value)}` },
    series: [
      {
        type: 'treemap',
        roam: false,
        nodeClick: false,
        breadcrumb: { show: false },
        data: [...tree.entries()].map(([name, children]) => ({ name, children })),
      },
    ],
  };
}

export function topProductsOption(rows: Rows): ChartOption {
  const data = [...rows].reverse();
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 150, right: 24, top: 28, bottom: 24 },
    xAxis: { type: 'value' },
    yAxis: {
      type: 'category',
      data: data.map((r) => `${String(r.product_id)}${r.brand ? ` (${String(r.brand)})` : ''}`),
    },
    series: [
      { type: 'bar', name: 'Views', data: data.map((r) => num(r.views)) },
      { type: 'bar', name: 'Purchases', data: data.map((r) => num(r.purchases)) },
    ],
  };
}

/** Day × hour cells shaded by events (colours computed here; no visualMap needed). */
export function heatmapOption(rows: Rows): ChartOption {
  const max = Math.max(1, ...rows.map((r) => num(r.events)));
  return {
    tooltip: {
      formatter: (p: { value: [number, number, number] }) =>
        `${DAYS[p.value[1]]} ${p.value[0]}:00 — ${p.value[2]} events`,
    },
    grid: { left: 48, right: 16, top: 8, bottom: 32 },
    xAxis: {
      type: 'category',
      data: Array.from({ length: 24 }, (_, h) => String(h)),
      splitArea: { show: true },
    },
    yAxis: { type: 'category', data: DAYS, splitArea: { show: true } },
    series: [
      {
        type: 'heatmap',
        data: rows.map((r) => ({
          value: [num(r.hour), num(r.day) - 1, num(r.events)],
          itemStyle: { color: shade(num(r.events) / max) },
        })),
      },
    ],
  };
}

/** From a pale to a deep blue as the share of the busiest cell grows. */
export function shade(share: number): string {
  const t = Math.min(Math.max(share, 0), 1);
  const from = [231, 236, 255];
  const to = [28, 47, 138];
  return `rgb(${from.map((c, i) => Math.round(c + ((to[i] ?? c) - c) * t)).join(', ')})`;
}

export function durationOption(rows: Rows): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 8, bottom: 32 },
    xAxis: { type: 'category', data: rows.map((r) => String(r.bucket)) },
    yAxis: { type: 'value', name: 'sessions' },
    series: [{ type: 'bar', name: 'Sessions', data: rows.map((r) => num(r.sessions)) }],
  };
}
