import { useMemo } from 'react';
import type { RunPoint } from '../../../../pipeline/contract';
import { Chart, type ChartOption } from '../../components/Chart';
import { formatCompact, formatInteger, formatTimestamp } from '../../lib/format';

const line = (name: string, data: [number, number | null][], extra: object = {}) => ({
  name,
  type: 'line',
  showSymbol: data.length < 3,
  connectNulls: false,
  data,
  ...extra,
});

/** A run's produced and consumed rows per second (left axis) and Kafka lag (right axis), the whole run. */
export function RateChart({
  points,
  label = 'Produced and consumed events per second',
}: {
  points: RunPoint[];
  label?: string;
}) {
  const option = useMemo<ChartOption>(() => {
    const hasLake = points.some((p) => p.bronze !== null);
    return {
      animation: false,
      grid: { left: 56, right: 56, top: 56, bottom: 28 },
      legend: { top: 0 },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => (typeof v === 'number' ? formatInteger(Math.round(v)) : '–'),
      },
      xAxis: {
        type: 'time',
        splitNumber: 4,
        axisLabel: { hideOverlap: true, formatter: (v: number) => formatTimestamp(v).slice(11, 19) },
      },
      yAxis: [
        {
          type: 'value',
          name: 'events/s',
          min: 0,
          minInterval: 1,
          axisLabel: { formatter: (v: number) => formatCompact(v) },
        },
        {
          type: 'value',
          name: 'lag',
          min: 0,
          minInterval: 1,
          splitLine: { show: false },
          axisLabel: { formatter: (v: number) => formatCompact(v) },
        },
      ],
      series: [
        line(
          'Produced (replay)',
          points.map((p) => [p.at, p.produced]),
        ),
        ...(hasLake
          ? [
              line(
                'Consumed (Bronze)',
                points.map((p) => [p.at, p.bronze]),
              ),
              line(
                'Silver',
                points.map((p) => [p.at, p.silver]),
              ),
              line(
                'Lag (messages)',
                points.map((p) => [p.at, p.lag]),
                {
                  yAxisIndex: 1,
                  lineStyle: { type: 'dashed' },
                },
              ),
            ]
          : []),
      ],
    };
  }, [points]);
  if (points.length < 2) {
    return (
      <p className="muted chart-waiting">
        The chart adds a point every second while a replay runs, and keeps the whole run.
      </p>
    );
  }
  return <Chart label={label} option={option} height={240} />;
}
