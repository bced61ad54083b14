import { BarChart, FunnelChart, HeatmapChart, LineChart, PieChart, TreemapChart } from 'echarts/charts';
import {
  AriaComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useDarkMode } from '../lib/theme';

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
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

interface ChartProps {
  /** Accessible name; ECharts' aria module adds a generated description of the data. */
  label: string;
  option: ChartOption;
  height?: number;
  /** Gives the parent a way to export the chart (PNG). */
  onReady?: (chart: echarts.ECharts | undefined) => void;
}

/** One ECharts instance per mounted chart, resized with its box and re-themed with the OS. */
export function Chart({ label, option, height = 280, onReady }: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts>(undefined);
  const dark = useDarkMode();

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = echarts.init(element, dark ? 'dark' : undefined, { renderer: 'canvas' });
    chartRef.current = chart;
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
      { backgroundColor: 'transparent', aria: { enabled: true }, ...option },
      { notMerge: true },
    );
  }, [option, dark]);

  return <div ref={ref} className="chart" role="img" aria-label={label} style={{ height }} />;
}

/** Saves a chart as a PNG through a download link (Electron shows its save dialog). */
export function saveChartPng(chart: echarts.ECharts, name: string, background: string): void {
  const url = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: background });
  const link = document.createElement('a');
  link.href = url;
  link.download = `${name}.png`;
  link.click();
}
