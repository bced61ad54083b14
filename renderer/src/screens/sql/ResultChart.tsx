import { ScatterChart } from 'echarts/charts';
import * as echarts from 'echarts/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { columnKind, type QueryOpened } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { decodeRows, type useQueryGrid } from '../../api/useQueryGrid';
import { Chart, saveChartPng, type ChartOption } from '../../components/Chart';
import { formatInteger } from '../../lib/format';

// Chart.tsx registers line and bar; a result may also be drawn as a scatter.
echarts.use([ScatterChart]);

type Kind = 'line' | 'bar' | 'scatter';
/** A chart shows at most this many points of a result (with the grid's filters applied). */
const MAX_POINTS = 5000;

/** A SQL result drawn as a line, bar or scatter: x is a time, category or number column, y a number. */
export function ResultChart(props: { opened: QueryOpened; grid: ReturnType<typeof useQueryGrid> }) {
  const { columns } = props.opened;
  const numbers = columns.filter((c) => columnKind(c.type) === 'number');
  const xChoices = [
    ...columns.filter((c) => columnKind(c.type) === 'time'),
    ...columns.filter((c) => columnKind(c.type) === 'text'),
    ...numbers,
  ];
  const [x, setX] = useState(xChoices[0]?.name ?? '');
  const [y, setY] = useState(numbers.find((c) => c.name !== x)?.name ?? numbers[0]?.name ?? '');
  const [kind, setKind] = useState<Kind>('line');
  const [points, setPoints] = useState<[unknown, number][]>();
  const [error, setError] = useState<string>();
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  const xKind = columnKind(columns.find((c) => c.name === x)?.type ?? 'VARCHAR');
  const { filters, sort } = props.grid;

  useEffect(() => {
    if (!x || !y) return;
    let live = true;
    const xIndex = columns.findIndex((c) => c.name === x);
    const yIndex = columns.findIndex((c) => c.name === y);
    // A line reads left to right: sorted by x. Bars and scatters keep the grid's order.
    const order = kind === 'line' ? { column: x, direction: 'asc' as const } : sort;
    api()
      .call('query.page', {
        queryId: props.opened.queryId,
        offset: 0,
        limit: MAX_POINTS,
        ...(order ? { sort: order } : {}),
        ...(filters.length ? { filters } : {}),
      })
      .then((answer) => {
        if (!live) return;
        const rows = decodeRows(answer.page);
        setPoints(rows.map((row) => [plain(row[xIndex]), Number(plain(row[yIndex]) ?? NaN)]));
        setError(undefined);
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [props.opened.queryId, columns, x, y, kind, filters, sort]);

  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: kind === 'scatter' ? 'item' : 'axis' },
      grid: { left: 60, right: 24, top: 24, bottom: 40 },
      xAxis: {
        type: xKind === 'time' ? 'time' : xKind === 'number' ? 'value' : 'category',
        name: x,
        nameLocation: 'middle',
        nameGap: 26,
      },
      yAxis: { type: 'value', name: y, scale: kind !== 'bar' },
      series: [{ type: kind, name: y, data: points ?? [], showSymbol: (points?.length ?? 0) <= 200 }],
    }),
    [kind, points, x, xKind, y],
  );

  if (!numbers.length || !xChoices.length) {
    return (
      <p className="muted" role="status">
        A chart needs a number column and a time, text or number column to draw it against.
      </p>
    );
  }
  const label = `${kind === 'line' ? 'Line' : kind === 'bar' ? 'Bar' : 'Scatter'} chart of ${y} by ${x}`;
  return (
    <div className="result-chart">
      <div className="sql-toolbar" role="toolbar" aria-label="Chart">
        <label>
          Chart{' '}
          <select aria-label="Chart type" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            <option value="line">Line</option>
            <option value="bar">Bar</option>
            <option value="scatter">Scatter</option>
          </select>
        </label>
        <label>
          X{' '}
          <select aria-label="X column" value={x} onChange={(e) => setX(e.target.value)}>
            {xChoices.map((c) => (
              <option key={c.name}>{c.name}</option>
            ))}
          </select>
        </label>
        <label>
          Y{' '}
          <select aria-label="Y column" value={y} onChange={(e) => setY(e.target.value)}>
            {numbers.map((c) => (
              <option key={c.name}>{c.name}</option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={!points}
          onClick={() => chart.current && saveChartPng(chart.current, `${y}-by-${x}`, '#ffffff')}
        >
          Save PNG
        </button>
        {points && (
          <span role="status" className="muted" aria-label="Points drawn">
            {formatInteger(points.length)} point{points.length === 1 ? '' : 's'}
            {points.length === MAX_POINTS ? ` (the first ${formatInteger(MAX_POINTS)} rows)` : ''}
          </span>
        )}
      </div>
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      {/* ECharts writes its own description into the chart's label; the figure keeps ours. */}
      <figure className="result-figure" aria-label={label}>
        <Chart label={label} option={option} height={320} onReady={(c) => (chart.current = c)} />
      </figure>
    </div>
  );
}

/** Arrow values as ECharts takes them: bigints as numbers, dates as epoch ms. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.getTime();
  return value;
}
