import { useEffect, useState } from 'react';
import type { RunSeries, RunSummary } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { formatDuration, formatInteger, formatTimestamp } from '../../lib/format';
import { RateChart } from './RateChart';

const OUTCOME: Record<RunSummary['state'], string> = {
  starting: 'running',
  running: 'running',
  paused: 'paused',
  stopping: 'stopping',
  stopped: 'stopped',
  completed: 'completed',
  failed: 'failed',
};

/** A run's outcome in words; a run the app was closed during never got its last state. */
function outcome(run: RunSummary, currentRunId: string | undefined): string {
  if (run.endedAt === null && run.runId !== currentRunId) return 'interrupted';
  return OUTCOME[run.state];
}

const fileName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** Every run the Workbench remembers, newest first; a row opens that run's chart. */
export function PastRuns({ currentRunId, refreshKey }: { currentRunId?: string; refreshKey?: string }) {
  const [runs, setRuns] = useState<RunSummary[]>();
  const [open, setOpen] = useState<RunSeries | null>(null);
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    api()
      .call('replay.history', {})
      .then((value) => live && setRuns(value))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [refreshKey]);

  const show = (runId: string) => {
    if (open?.run.runId === runId) return setOpen(null);
    api()
      .call('replay.series', { runId })
      .then(setOpen)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };

  if (error) return <p className="error-text">{error}</p>;
  if (!runs || runs.length === 0) return null;
  return (
    <section className="monitor-card" aria-label="Past runs">
      <h2>Past runs</h2>
      <table className="monitor-table" aria-label="Past runs list">
        <thead>
          <tr>
            <th>Started (UTC)</th>
            <th>File</th>
            <th>Topic</th>
            <th className="num">Rows</th>
            <th className="num">Duration</th>
            <th className="num">Average rate</th>
            <th>Outcome</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.runId} aria-label={`Run of ${fileName(r.path)} onto ${r.topic}`}>
              <td className="nowrap">{formatTimestamp(r.startedAt)}</td>
              <td title={r.path}>{fileName(r.path)}</td>
              <td>{r.topic}</td>
              <td className="num">{formatInteger(r.rowsSent)}</td>
              <td className="num">{formatDuration(r.durationSeconds)}</td>
              <td className="num" title={r.warning ?? undefined}>
                {formatInteger(Math.round(r.averageRate))}/s
                {r.targetMet === false && <span className="error-text"> below target</span>}
              </td>
              <td>{outcome(r, currentRunId)}</td>
              <td>
                <button
                  type="button"
                  aria-expanded={open?.run.runId === r.runId}
                  onClick={() => show(r.runId)}
                >
                  {open?.run.runId === r.runId ? 'Hide chart' : 'Chart'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && (
        <div aria-label={`Chart of the run started ${formatTimestamp(open.run.startedAt)}`} role="group">
          <h3>
            {fileName(open.run.path)} → {open.run.topic}, {formatTimestamp(open.run.startedAt)}
          </h3>
          {open.run.warning && <p className="banner notice">{open.run.warning}</p>}
          <RateChart points={open.points} label={`Run of ${fileName(open.run.path)}`} />
        </div>
      )}
    </section>
  );
}
