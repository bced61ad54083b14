import { useState } from 'react';
import type { RunSummary, StreamStatus } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { formatInteger, formatTimestamp } from '../../lib/format';
import { describeBottleneck, formatFreshness } from './monitor-logic';

/** Flushes happen today: the time of day is what tells them apart (the full stamp is in the tooltip). */
function timeOfDay(value: string | null): string {
  return value ? formatTimestamp(value).slice(11, 19) : '–';
}

interface Props {
  /** The replay run on screen: figures from before it started are not shown as if they were its own. */
  run?: RunSummary | undefined;
  stream: StreamStatus | undefined;
  /** Why stream.status failed; the panel explains it instead of failing the screen. */
  streamError: string | undefined;
  /** The replay's topic, for starting the consumer from here. */
  topic: string | undefined;
  onStarted: () => void;
}

/** The lake consumer: lag per partition, rows per layer and how fresh Bronze and Gold are. */
export function LakePanel({ run, stream, streamError, topic, onStarted }: Props) {
  const [error, setError] = useState<string>();
  const start = async () => {
    setError(undefined);
    try {
      await api().call('stream.start', topic ? { topic } : {});
      onStarted();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  // One consumer at a time: switching topics stops it (after it flushes) and starts it on the other one.
  const follow = async (next: string) => {
    setError(undefined);
    try {
      await api().call('stream.stop', {});
      await api().call('stream.start', { topic: next });
      onStarted();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  if (!stream) {
    return (
      <section className="monitor-card" aria-label="Lake">
        <h2>Lake</h2>
        <p className="muted">{streamError ?? 'Loading…'}</p>
        {streamError && topic && (
          <button type="button" onClick={() => void start()}>
            Start streaming {topic}
          </button>
        )}
        {error && (
          <p role="alert" className="error-text">
            {error}
          </p>
        )}
      </section>
    );
  }

  const running = stream.state === 'running' || stream.state === 'starting';
  // A new run starts the lake's figures afresh: a flush from before it is the previous run's.
  const since = run ? Date.parse(run.startedAt) : 0;
  const ofThisRun = (at: string | null) => at !== null && Date.parse(at) >= since;
  const bronzeFresh = ofThisRun(stream.bronze.lastFlushAt);
  const goldFresh = ofThisRun(stream.gold.lastFlushAt);
  const base = run?.lakeAtStart && stream.topic === run.topic ? run.lakeAtStart : null;
  const thisRun = (rows: number, before: number | undefined) =>
    before === undefined ? null : (
      <span className="muted" title="Added since this run started">
        {' '}
        (+{formatInteger(Math.max(0, rows - before))})
      </span>
    );
  return (
    <section className="monitor-card" aria-label="Lake">
      <header>
        <h2>Lake</h2>
        <span className={`state state-${stream.state}`}>consumer {stream.state}</span>
        {!running && (
          <button type="button" onClick={() => void start()}>
            Start streaming
          </button>
        )}
      </header>
      <p className="muted lake-path" title={stream.lake}>
        {stream.topic} → {stream.lake}
      </p>
      {topic && stream.topic !== topic && (
        <p className="error-text">
          The lake consumer reads {stream.topic}, not {topic}: this replay is not streaming into the lake.{' '}
          <button type="button" onClick={() => void follow(topic)}>
            Stream {topic} instead
          </button>
        </p>
      )}
      {(error ?? stream.lastError) && (
        <p role="alert" className="error-text">
          {error ?? stream.lastError}
        </p>
      )}
      <dl className="monitor-stats" aria-label="Rows per layer">
        <div>
          <dt>Bronze rows</dt>
          <dd>
            <span data-testid="bronze-rows">{formatInteger(stream.bronze.rows)}</span>
            {thisRun(stream.bronze.rows, base?.bronzeRows)}
          </dd>
        </div>
        <div>
          <dt>Silver rows</dt>
          <dd>
            <span data-testid="silver-rows">{formatInteger(stream.silver.rows)}</span>
            {thisRun(stream.silver.rows, base?.silverRows)}
          </dd>
        </div>
        <div>
          <dt>Quarantined</dt>
          <dd>{formatInteger(stream.silver.quarantined)}</dd>
        </div>
        <div>
          <dt>Gold last flush</dt>
          <dd data-testid="gold-flush" title={formatTimestamp(stream.gold.lastFlushAt)}>
            {goldFresh ? timeOfDay(stream.gold.lastFlushAt) : '–'}
          </dd>
        </div>
        <div>
          <dt>Bronze freshness</dt>
          <dd>{bronzeFresh ? formatFreshness(stream.freshness.bronzeSeconds) : '–'}</dd>
        </div>
        <div>
          <dt>Gold freshness</dt>
          <dd data-testid="gold-freshness">
            {goldFresh ? formatFreshness(stream.freshness.goldSeconds) : '–'}
          </dd>
        </div>
        <div>
          <dt>Bottleneck</dt>
          <dd data-testid="bottleneck">{describeBottleneck(stream.bottleneck)}</dd>
        </div>
      </dl>
      {stream.warnings.length > 0 && (
        <ul className="error-text" aria-label="Lake warnings">
          {stream.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {stream.partitions.length > 0 && (
        <table className="monitor-table" aria-label="Consumer lag per partition">
          <thead>
            <tr>
              <th>Partition</th>
              <th>In Bronze up to</th>
              <th>End offset</th>
              <th>Lag</th>
            </tr>
          </thead>
          <tbody>
            {stream.partitions.map((p) => (
              <tr key={p.partition}>
                <td>{p.partition}</td>
                <td>{formatInteger(p.bronzeOffset)}</td>
                <td>{formatInteger(p.endOffset)}</td>
                <td className={p.lag ? 'lagging' : undefined}>{formatInteger(p.lag)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
