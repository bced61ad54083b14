import { useState } from 'react';
import type { BrokerStatus } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { formatInteger } from '../../lib/format';
import {
  BrokerSecurityFields,
  EMPTY_SECURITY,
  securityOptions,
  securitySummary,
  type SecurityForm,
} from './BrokerSecurityFields';

interface Props {
  status: BrokerStatus;
  connections: number;
  savedPort: number | undefined;
}

const STATE_LABEL: Record<BrokerStatus['state'], string> = {
  stopped: 'Stopped',
  starting: 'Starting…',
  running: 'Running',
  stopping: 'Stopping…',
  failed: 'Failed',
};

/** Start and stop the embedded broker, on a port of the user's choosing, and show where clients connect. */
export function BrokerPanel({ status, connections, savedPort }: Props) {
  // What the user typed; until then the running port, else the saved one (which arrives a moment later).
  const [typed, setTyped] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [copied, setCopied] = useState(false);
  const [security, setSecurity] = useState<SecurityForm>(EMPTY_SECURITY);
  const running = status.state === 'running';

  const port = running ? String(status.port) : (typed ?? String(savedPort ?? status.port));

  const portNumber = Number(port);
  const portError =
    port.trim() === '' || !Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535
      ? 'The port is a whole number from 1 to 65535.'
      : undefined;

  const start = async (chosen: number) => {
    setBusy(true);
    setError(undefined);
    try {
      await api().call('broker.start', { port: chosen, security: securityOptions(security) });
      // Remember the port that worked, so the next start (and replays) use it.
      if (chosen !== savedPort) await api().call('settings.update', { brokerPort: chosen });
      setTyped(undefined);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const stop = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api().call('broker.stop', {});
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    await navigator.clipboard.writeText(status.bootstrap);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };

  const shownError = error ?? (status.state === 'failed' ? status.error : null);
  const summary = securitySummary(status);

  return (
    <section className="topics-card broker-panel" aria-label="Broker">
      <header>
        <h2>Broker</h2>
        <span className={`state-badge state-${status.state}`} role="status" aria-label="Broker state">
          {STATE_LABEL[status.state]}
        </span>
      </header>
      <div className="broker-row">
        <label className="inline-field">
          Port
          <input
            aria-label="Broker port"
            inputMode="numeric"
            value={port}
            disabled={running || busy}
            aria-invalid={portError !== undefined}
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && !portError && !running && void start(portNumber)}
          />
        </label>
        {running ? (
          <button type="button" onClick={() => void stop()} disabled={busy}>
            Stop broker
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            onClick={() => void start(portNumber)}
            disabled={busy || portError !== undefined}
          >
            Start broker
          </button>
        )}
        {running && (
          <>
            <span className="bootstrap">
              Bootstrap <code aria-label="Bootstrap address">{status.bootstrap}</code>
            </span>
            <button type="button" onClick={() => void copy()} aria-label="Copy bootstrap address">
              {copied ? 'Copied' : 'Copy'}
            </button>
            <span className="muted">{formatInteger(connections)} client connection(s)</span>
          </>
        )}
      </div>
      {portError && !running && <p className="error-text">{portError}</p>}
      {running && (
        <p className="muted hint">
          <span aria-label="Broker security">{summary.label}</span>. Any Kafka client connects here, e.g.{' '}
          <code>
            kcat -b {status.bootstrap} {summary.kcatFlags ? `${summary.kcatFlags} ` : ''}-L
          </code>
        </p>
      )}
      {!running && <BrokerSecurityFields form={security} disabled={busy} onChange={setSecurity} />}
      {shownError && (
        <div role="alert" className="banner error broker-error">
          <span>{shownError}</span>
          {status.state === 'failed' && status.freePort !== null && (
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => status.freePort !== null && void start(status.freePort)}
            >
              Use port {status.freePort}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
