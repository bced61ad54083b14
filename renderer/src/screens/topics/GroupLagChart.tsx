import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api/client';
import { Chart, type ChartOption } from '../../components/Chart';
import { formatCompact, formatInteger, formatTimestamp } from '../../lib/format';

type Samples = { at: number; lag: number }[];
const EVERY_MS = 5000;

/** Every group's lag samples from the Workbench (it keeps them while a Topics screen looks). */
export function useGroupLag(): Map<string, Samples> {
  const [lag, setLag] = useState(new Map<string, Samples>());
  useEffect(() => {
    let live = true;
    const load = () =>
      api()
        .call('topics.groupLag', {})
        .then((groups) => live && setLag(new Map(groups.map((g) => [g.groupId, g.samples]))))
        .catch(() => undefined);
    void load();
    const timer = setInterval(() => void load(), EVERY_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  return lag;
}

/** One group's total lag over time, as a small line. */
export function GroupLagChart({ groupId, samples }: { groupId: string; samples: Samples | undefined }) {
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      grid: { left: 48, right: 12, top: 8, bottom: 22 },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => formatInteger(Number(v)) },
      xAxis: {
        type: 'time',
        splitNumber: 3,
        axisLabel: { hideOverlap: true, formatter: (v: number) => formatTimestamp(v).slice(11, 19) },
      },
      yAxis: {
        type: 'value',
        min: 0,
        minInterval: 1,
        splitNumber: 3,
        axisLabel: { formatter: (v: number) => formatCompact(v) },
      },
      series: [
        { name: 'Lag', type: 'line', showSymbol: false, data: (samples ?? []).map((s) => [s.at, s.lag]) },
      ],
    }),
    [samples],
  );
  if (!samples || samples.length < 2)
    return <p className="muted">Lag over time: a point every 5 s while this screen is open.</p>;
  return (
    <div className="group-lag-chart" data-samples={samples.length}>
      <Chart label={`Lag of ${groupId} over time`} option={option} height={120} />
    </div>
  );
}
