import { DLQ_TOPIC, type ReplayProgress } from '../../../../pipeline/contract';
import { EmptyState } from '../../components/EmptyState';
import { formatBytes, formatDuration, formatInteger, formatPercent, formatTimestamp } from '../../lib/format';
import { LakePanel } from './LakePanel';
import { PastRuns } from './PastRuns';
import { PaceLine } from './PaceLine';
import { formatEta, isActive, progressRatio } from './monitor-logic';
import { RateChart } from './RateChart';
import { SinkLag } from './SinkLag';
import { ReplayControls } from './ReplayControls';
import { useMonitorData } from './useMonitorData';
import './monitor.css';

const STATE_LABELS: Record<ReplayProgress['state'], string> = {
  starting: 'Starting',
  running: 'Running',
  paused: 'Paused',
  stopping: 'Stopping',
  stopped: 'Stopped',
  completed: 'Completed',
  failed: 'Failed',
};

const go = (screen: string) => {
  window.location.hash = `#/${screen}`;
};

/** A replay as it runs: progress, produced vs consumed rates, the lake's layers, and the controls. */
export function MonitorScreen() {
  const data = useMonitorData();
  const { progress } = data;

  if (progress === undefined) return <p className="muted">Loading…</p>;
  if (progress === null) {
    return (
      <EmptyState title="Nothing is replaying">
        <p className="muted">Start a replay on the Replay screen and watch it stream into the lake here.</p>
        <button type="button" className="primary" onClick={() => go('replay')}>
          Go to Replay
        </button>
        <PastRuns />
      </EmptyState>
    );
  }

  const thisRun = data.series?.run.runId === progress.runId ? data.series.run : undefined;
  const points = thisRun ? (data.series?.points ?? []) : [];
  const ratio = progressRatio(progress);
  const active = isActive(progress.state);
  return (
    <div className="monitor-screen">
      <header className="monitor-header">
        <h1>Replay</h1>
        <span className={`state state-${progress.state}`} data-testid="replay-state">
          {STATE_LABELS[progress.state]}
        </span>
        <span className="muted monitor-source" title={progress.path}>
          {progress.path.split(/[\\/]/).pop()} → {progress.topic} on {progress.bootstrap}
        </span>
        {!active && (
          <button type="button" onClick={() => go('replay')}>
            New replay…
          </button>
        )}
      </header>
      <ReplayControls progress={progress} onChange={data.apply} />
      <PaceLine
        progress={progress}
        run={data.series?.run.runId === progress.runId ? data.series.run : undefined}
      />
      {progress.error && (
        <p role="alert" className="banner error">
          {progress.error}
        </p>
      )}
      <div className="monitor-progress">
        {ratio === null ? (
          // Without a value the bar is indeterminate: running, position not reported yet.
          <progress max={1} aria-label="Replay progress" aria-valuetext="position not known yet" />
        ) : (
          <progress
            max={1}
            value={ratio}
            aria-label="Replay progress"
            aria-valuetext={formatPercent(ratio, 0)}
          />
        )}
        <span>
          <span data-testid="replay-percent" title="Rows sent, of the rows the file is estimated to hold">
            {ratio === null ? '…' : formatPercent(ratio, 1)}
          </span>
        </span>
        <span className="muted">{formatEta(progress)}</span>
        <span className="muted">
          {formatBytes(progress.bytesRead)} of {formatBytes(progress.totalBytes)}
        </span>
      </div>
      <dl className="monitor-stats" aria-label="Replay figures">
        <div>
          <dt>Sent</dt>
          <dd data-testid="rows-sent">{formatInteger(progress.rowsSent)}</dd>
        </div>
        <div>
          <dt>Rejected</dt>
          <dd data-testid="rows-rejected">{formatInteger(progress.rowsRejected)}</dd>
        </div>
        <div>
          <dt>Read</dt>
          <dd>{formatInteger(progress.rowsRead)}</dd>
        </div>
        <div>
          <dt>Events/s</dt>
          <dd>{active ? formatInteger(progress.eventsPerSecond) : '–'}</dd>
        </div>
        <div className="wide">
          <dt>Current event time</dt>
          <dd>{formatTimestamp(progress.currentEventTime)}</dd>
        </div>
        <div>
          <dt>Elapsed</dt>
          <dd data-testid="elapsed">{formatDuration(progress.elapsedSeconds)}</dd>
        </div>
        {progress.resumedFrom > 0 && (
          <div>
            <dt>Resumed after</dt>
            <dd>{formatInteger(progress.resumedFrom)} rows</dd>
          </div>
        )}
      </dl>
      <div className="monitor-columns">
        <section
          className="monitor-card"
          aria-label="Events per second"
          data-points={points.length}
          data-first-at={points[0]?.at}
        >
          <h2>Events per second</h2>
          {data.series === undefined ? (
            <p className="muted">Loading the run’s chart…</p>
          ) : (
            <RateChart points={points} />
          )}
        </section>
        <LakePanel
          run={thisRun}
          stream={data.stream}
          streamError={data.streamError}
          topic={progress.topic}
          onStarted={data.refreshStream}
        />
      </div>
      <SinkLag />
      <PastRuns currentRunId={progress.runId} refreshKey={`${progress.runId}:${progress.state}`} />
      {(progress.rowsRejected > 0 || progress.warnings.length > 0) && (
        <section className="monitor-card" aria-label="Rejected rows and warnings">
          {progress.rowsRejected > 0 && (
            <>
              <header>
                <h2>Rejected rows</h2>
                <button
                  type="button"
                  title={`Rejected rows are on the topic ${DLQ_TOPIC}`}
                  onClick={() => go('topics')}
                >
                  Open Topics ({DLQ_TOPIC})
                </button>
              </header>
              <table className="monitor-table compact">
                <thead>
                  <tr>
                    <th>Reason</th>
                    <th>Rows</th>
                  </tr>
                </thead>
                <tbody>
                  {progress.rejectReasons.map((r) => (
                    <tr key={r.reason}>
                      <td>{r.reason}</td>
                      <td>{formatInteger(r.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {progress.warnings.length > 0 && (
            <>
              <h2>Warnings</h2>
              <ul className="monitor-warnings">
                {progress.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
    </div>
  );
}
