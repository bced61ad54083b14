import { useMemo } from 'react';
import { Chart, type ChartOption } from '../../components/Chart';
import { formatCompact, formatTimestamp } from '../../lib/format';
import type { RatePoint } from './monitor-logic';

/** Produced (replay) against consumed (Bronze) events per second over the last two minutes. */
export function RateChart({ points }: { points: RatePoint[] }) {
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      grid: { left: 56, right: 16, top: 36, bottom: 28 },
      legend: { top: 0 },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => (typeof v === 'number' ? `${formatCompact(v)} events/s` : '–'),
      },
      xAxis: {
        type: 'time',
        splitNumber: 4,
        axisLabel: { hideOverlap: true, formatter: (v: number) => formatTimestamp(v).slice(11, 19) },
      },
      yAxis: {
        type: 'value',
        min: 0,
        minInterval: 1,
        axisLabel: { formatter: (v: number) => formatCompact(v) },
      },
      series: [
        {
          name: 'Produced (replay)',
          type: 'line',
          showSymbol: false,
          data: points.map((p) => [p.at, p.produced]),
        },
        {
          name: 'Consumed (Bronze)',
          type: 'line',
          showSymbol: false,
          data: points.map((p) => [p.at, p.consumed]),
        },
      ],
    }),
    [points],
  );
  if (points.length < 2) {
    return (
      <p className="muted chart-waiting">
        The chart adds a point every second while a replay or the lake consumer runs.
      </p>
    );
  }
  return <Chart label="Produced and consumed events per second" option={option} height={240} />;
}
