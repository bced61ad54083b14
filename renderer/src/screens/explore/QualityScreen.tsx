import { useEffect, useMemo, useState } from 'react';
import type { DataQuality, DqCount, RowsPage } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { Chart, type ChartOption } from '../../components/Chart';
import { DataGrid } from '../../components/grid/DataGrid';
import { formatInteger } from '../../lib/format';
import { ResendDeadLetter } from './ResendDeadLetter';
import './explore.css';

const LABELS: Record<DqCount['source'], string> = {
  quarantine: 'Quarantined (Silver)',
  dlq: 'Dead letters (replay)',
  dq_daily: 'Lake checks',
};

/** Per day and reason: quarantined records, dead letters, and (once the lake computes them) duplicates, late events, rows without a session. */
export function QualityScreen() {
  const [answer, setDq] = useState<Partial<DataQuality> & { error: string | undefined }>();
  const dq = answer?.counts ? (answer as DataQuality) : undefined;
  const error = answer?.error;
  const [open, setOpen] = useState<{ count: DqCount; rows?: RowsPage }>();
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    api()
      .call('dq.summary', {})
      .then(
        (d) => live && setDq({ ...d, error: undefined }),
        (e: unknown) => live && setDq({ error: e instanceof Error ? e.message : String(e) }),
      );
    return () => {
      live = false;
    };
  }, [version]);

  const option = useMemo<ChartOption | undefined>(() => {
    if (!dq?.counts.length) return undefined;
    const days = [...new Set(dq.counts.map((c) => c.day))].sort();
    const series = [...new Set(dq.counts.map((c) => `${c.source}: ${c.reason}`))];
    return {
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 56, right: 16, top: 40, bottom: 28 },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value', name: 'rows', minInterval: 1 },
      series: series.map((name) => ({
        name,
        type: 'bar',
        stack: 'rows',
        data: days.map((d) =>
          dq.counts
            .filter((c) => c.day === d && `${c.source}: ${c.reason}` === name)
            .reduce((s, c) => s + c.rows, 0),
        ),
      })),
    };
  }, [dq]);

  const openCount = async (count: DqCount) => {
    setOpen({ count });
    if (count.source === 'dq_daily') return;
    try {
      const rows = await api().call('dq.rows', {
        source: count.source,
        reason: count.reason,
        day: count.day,
        limit: 500,
      });
      setOpen({ count, rows });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      setOpen({ count, rows: { columns: [{ name: 'error', type: 'VARCHAR' }], rows: [[message]] } });
    }
  };

  return (
    <div className="quality-screen">
      <div className="explore-bar">
        <button type="button" onClick={() => setVersion((v) => v + 1)}>
          Refresh
        </button>
        {dq && (
          <span className="muted">
            {formatInteger(dq.silverRows)} events in Silver · duplicates, replays, late events and rows
            without a session:{' '}
            {dq.dqDaily === 'computed'
              ? 'computed by the lake (silver.dq_daily)'
              : 'not yet computed (silver.dq_daily does not exist yet)'}
          </span>
        )}
      </div>
      {error && (
        <div role="alert" className="banner error">
          {error}
        </div>
      )}
      {dq?.dlqNote && <div className="banner">{dq.dlqNote}</div>}
      {dq && (
        <section className="panel" aria-label="Health per replay run">
          <h2>Health per source file</h2>
          <table className="explore-table">
            <thead>
              <tr>
                <th>Source</th>
                <th>In Silver</th>
                <th>Quarantined</th>
                <th>Dead letters</th>
                <th>Duplicates dropped</th>
                <th>Clean</th>
              </tr>
            </thead>
            <tbody>
              {dq.health.map((h) => {
                const all = h.silver + h.quarantined + h.dlq;
                return (
                  <tr key={h.sourceId}>
                    <td>{h.sourceId}</td>
                    <td className="num">{formatInteger(h.silver)}</td>
                    <td className="num">{formatInteger(h.quarantined)}</td>
                    <td className="num">{formatInteger(h.dlq)}</td>
                    <td className="num">{formatInteger(h.duplicates)}</td>
                    <td className="num">{all ? `${((100 * h.silver) / all).toFixed(2)} %` : '–'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
      {option && <Chart label="Data-quality rows per day and reason" option={option} height={220} />}
      {dq && (
        <section className="panel" aria-label="Counts per day and reason">
          <h2>Per day and reason</h2>
          {dq.counts.length === 0 ? (
            <p className="muted">Nothing rejected, quarantined or flagged.</p>
          ) : (
            <table className="explore-table">
              <thead>
                <tr>
                  <th>Day</th>
                  <th>Where</th>
                  <th>Reason</th>
                  <th>Rows</th>
                </tr>
              </thead>
              <tbody>
                {dq.counts.map((c) => (
                  <tr key={`${c.day}-${c.source}-${c.reason}`}>
                    <td>{c.day}</td>
                    <td>{LABELS[c.source]}</td>
                    <td>{c.reason}</td>
                    <td className="num">
                      {c.source === 'dq_daily' ? (
                        formatInteger(c.rows)
                      ) : (
                        <button
                          type="button"
                          onClick={() => void openCount(c)}
                          aria-label={`Open ${c.rows} rows: ${c.reason} on ${c.day}`}
                        >
                          {formatInteger(c.rows)}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      {open?.rows && open.count.source === 'dlq' && <ResendDeadLetter rows={open.rows} />}
      {open?.rows && (
        <div className="explore-grid">
          <DataGrid
            label={`${LABELS[open.count.source]}: ${open.count.reason} on ${open.count.day}`}
            columns={open.rows.columns}
            totalRows={open.rows.rows.length}
            fetchRows={async (offset, limit) => open.rows?.rows.slice(offset, offset + limit) ?? []}
          />
        </div>
      )}
    </div>
  );
}
