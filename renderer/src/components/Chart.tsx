import { BarChart, FunnelChart, HeatmapChart, LineChart, PieChart, TreemapChart } from 'echarts/charts';
import {
  AriaComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useDarkMode } from '../lib/theme';
import './chart.css';
import { tooltipNode } from './chart-tooltip';
import type { ChartOption, TooltipContent } from './chart-types';

echarts.use([
  BarChart,
  FunnelChart,
  HeatmapChart,
  LineChart,
  PieChart,
  TreemapChart,
  AriaComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export type { ChartOption, TooltipContent } from './chart-types';

/** What a click on a bar, cell or point tells the parent. */
export interface ChartClick {
  seriesType?: string;
  seriesName?: string;
  name: string;
  value: unknown;
  data: unknown;
  dataIndex: number;
  /** Treemap: the names from the root down to the clicked cell. */
  path?: string[];
  /** Where the click was, in pixels from the chart's top left corner. */
  x?: number;
  y?: number;
}

interface ChartProps {
  /** Accessible name; ECharts' aria module adds a generated description of the data. */
  label: string;
  option: ChartOption;
  height?: number;
  /** Gives the parent a way to export the chart (PNG). */
  onReady?: (chart: echarts.ECharts | undefined) => void;
  onClick?: (click: ChartClick) => void;
}

/** One ECharts instance per mounted chart, resized with its box and re-themed with the OS. */
export function Chart({ label, option, height = 280, onReady, onClick }: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts>(undefined);
  const clickRef = useRef(onClick);
  const dark = useDarkMode();

  useEffect(() => {
    clickRef.current = onClick;
  }, [onClick]);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = echarts.init(element, dark ? 'dark' : undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    chart.on('click', (p) => {
      const params = p as unknown as ChartClick & {
        treePathInfo?: { name: string }[];
        event?: { offsetX?: number; offsetY?: number };
      };
      clickRef.current?.({
        seriesType: params.seriesType,
        seriesName: params.seriesName,
        name: params.name,
        value: params.value,
        data: params.data,
        dataIndex: params.dataIndex,
        ...(params.treePathInfo ? { path: params.treePathInfo.slice(1).map((n) => n.name) } : {}),
        ...(params.event?.offsetX !== undefined
          ? { x: params.event.offsetX, y: params.event.offsetY ?? 0 }
          : {}),
      });
    });
    onReady?.(chart);
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      onReady?.(undefined);
      chart.dispose();
      chartRef.current = undefined;
    };
    // onReady is a notification, not an input.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dark]);

  useEffect(() => {
    chartRef.current?.setOption(
      {
        backgroundColor: 'transparent',
        aria: { enabled: true },
        ...option,
        tooltip: safeTooltip(option, dark),
      },
      { notMerge: true },
    );
  }, [option, dark]);

  return (
    <div
      ref={ref}
      className={onClick ? 'chart chart-clickable' : 'chart'}
      role="img"
      aria-label={label}
      style={{ height }}
    />
  );
}

type Formatter = (params: unknown) => TooltipContent;

/**
 * ECharts' own tooltip markup is HTML with style attributes, which the app's CSP (style-src 'self', no
 * 'unsafe-inline') refuses, one console error per hover. Every tooltip here is built as DOM nodes instead
 * (chart-tooltip.ts), styled by the stylesheet, with text set as text (a category named "<b>" stays text).
 * confine keeps ECharts from adding its arrow, which is markup too.
 */
function safeTooltip(option: ChartOption, dark: boolean): Record<string, unknown> | undefined {
  const given = option.tooltip as
    | (Record<string, unknown> & { formatter?: Formatter; valueFormatter?: (v: unknown) => string })
    | undefined;
  if (!given) return undefined;
  const format = given.formatter ?? defaultFormatter(given.valueFormatter);
  return {
    ...given,
    renderMode: 'html',
    confine: true,
    className: 'chart-tooltip',
    backgroundColor: dark ? '#262a33' : '#ffffff',
    borderColor: dark ? '#3a404c' : '#dde1e7',
    textStyle: { color: dark ? '#e4e7ec' : '#1d2330', fontSize: 12 },
    formatter: (params: unknown) => tooltipNode(format(params)),
  };
}

interface ItemParams {
  seriesName?: string;
  name?: string;
  color?: unknown;
  value?: unknown;
  axisValueLabel?: string;
}

/** Axis tooltips: the axis value as the title, one line per series; item tooltips: name and value. */
function defaultFormatter(valueFormatter?: (v: unknown) => string): Formatter {
  const show = (v: unknown) => {
    const value = Array.isArray(v) ? v[v.length - 1] : v;
    return valueFormatter
      ? valueFormatter(value)
      : typeof value === 'number'
        ? value.toLocaleString('en-US')
        : String(value);
  };
  return (params) => {
    const list = (Array.isArray(params) ? params : [params]) as ItemParams[];
    const first = list[0];
    return {
      title: first?.axisValueLabel ?? first?.name ?? '',
      rows: list.map((p) => ({
        color: typeof p.color === 'string' ? p.color : undefined,
        label: (Array.isArray(params) ? p.seriesName : p.seriesName || p.name) ?? '',
        value: show(p.value),
      })),
    };
  };
}

/** Saves a chart as a PNG through a download link (Electron shows its save dialog). */
export function saveChartPng(chart: echarts.ECharts, name: string, background: string): void {
  const url = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: background });
  downloadUrl(url, `${name}.png`);
}

export function downloadUrl(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
}
