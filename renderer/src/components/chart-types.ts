import type { EChartsCoreOption } from 'echarts/core';

/** Types of the chart component, apart from it (so option builders stay free of React and the DOM). */
export type ChartOption = EChartsCoreOption;

/** A tooltip as data: a title and lines of (colour marker, label, value); or a plain string. */
export type TooltipContent =
  | string
  | { title?: string; rows: { color?: string | undefined; label: string; value: string }[]; note?: string };
