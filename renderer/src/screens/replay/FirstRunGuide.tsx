import type { Settings } from '../../../../pipeline/contract';

interface Props {
  settings: Settings | undefined;
  /** No dataset of one's own used yet (the sample does not count). */
  empty: boolean;
  onSample: () => void;
  onDismiss: () => void;
}

/** Three steps for someone who has never used the app: sample → start → dashboards; dismissed for good. */
export function FirstRunGuide({ settings, empty, onSample, onDismiss }: Props) {
  if (!settings || settings.guideDismissed || !empty) return null;
  return (
    <section className="first-run-guide" aria-label="Getting started">
      <header>
        <h2>Getting started</h2>
        <button type="button" className="link" onClick={onDismiss}>
          Dismiss
        </button>
      </header>
      <ol>
        <li>
          <button type="button" onClick={onSample}>
            Use the sample
          </button>{' '}
          — 1,000 real REES46 events, or choose, download or generate a file below.
        </li>
        <li>
          Press <strong>Start replay</strong>: the events go onto a Kafka topic of the built-in broker and
          stream into the lake (Bronze → Silver → Gold); the Monitor shows it live.
        </li>
        <li>
          Open <a href="#/dashboards">Dashboards</a> for KPIs, the funnel and revenue by category, or{' '}
          <a href="#/sql">SQL</a> to query any layer.
        </li>
      </ol>
    </section>
  );
}
