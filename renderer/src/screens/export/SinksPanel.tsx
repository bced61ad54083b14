import { useCallback, useEffect, useState } from 'react';
import type { ConnectionTest, SinkStatus, SslMode } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { useEvent } from '../../api/hooks';
import { formatInteger, formatTimestamp } from '../../lib/format';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const SSL_MODES: SslMode[] = ['prefer', 'disable', 'require', 'verify-ca', 'verify-full'];
const STATE_LABELS: Record<SinkStatus['state'], string> = {
  stopped: 'Stopped',
  starting: 'Starting',
  syncing: 'Syncing',
  idle: 'Up to date',
  retrying: 'Retrying',
  failed: 'Failed',
};
const seconds = (v: number | null) => (v === null ? '–' : `${v.toFixed(1)} s`);

/**
 * Sinks: mirror Gold (and Silver) into a PostgreSQL after every refresh. The password is never typed into
 * settings: it comes from an environment variable, or (desktop app) is saved in the OS keychain.
 */
export function SinksPanel() {
  const [url, setUrl] = useState('');
  const [schema, setSchema] = useState('clickpulse');
  const [sslmode, setSslmode] = useState<SslMode>('prefer');
  const [passwordEnv, setPasswordEnv] = useState('PGPASSWORD');
  const [password, setPassword] = useState('');
  const [silver, setSilver] = useState(false);
  const [status, setStatus] = useState<SinkStatus>();
  const [test, setTest] = useState<ConnectionTest>();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [note, setNote] = useState<string>();

  useEffect(() => {
    void api()
      .call('sink.postgres.status', {})
      .then(setStatus)
      .catch(() => undefined);
    void api()
      .call('sink.postgres.config', {})
      .then(({ options }) => {
        if (!options) return;
        setUrl(options.target.url ?? '');
        setSchema(options.target.schema);
        setSslmode(options.target.sslmode ?? 'prefer');
        setPasswordEnv(options.target.passwordEnv ?? 'PGPASSWORD');
        setSilver(options.silver);
      })
      .catch(() => undefined);
  }, []);
  useEvent(
    'sink.status',
    useCallback((s: SinkStatus) => setStatus(s), []),
  );

  const target = {
    url: url.trim(),
    schema: schema.trim(),
    sslmode,
    ...(passwordEnv.trim() ? { passwordEnv: passwordEnv.trim() } : {}),
  };
  const act = async (what: string, work: () => Promise<void>) => {
    setBusy(what);
    setError(undefined);
    setNote(undefined);
    try {
      await work();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(undefined);
    }
  };
  const running = status !== undefined && status.state !== 'stopped';

  return (
    <fieldset className="export-card sinks-panel" aria-label="Sinks">
      <legend>Sinks: PostgreSQL</legend>
      <p className="muted">
        Keeps every Gold table (and Silver, if asked) in a PostgreSQL schema, updated after each Gold refresh:
        one transaction per table, primary keys equal to each table&apos;s grain. Point Metabase, Superset or
        any BI tool at it.
      </p>
      <div className="sinks-form">
        <label>
          URL
          <input
            aria-label="PostgreSQL URL"
            placeholder="postgres://user@host:5432/database"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
        <label>
          Schema
          <input aria-label="Schema" value={schema} onChange={(e) => setSchema(e.target.value)} />
        </label>
        <label>
          TLS
          <select
            aria-label="sslmode"
            value={sslmode}
            onChange={(e) => setSslmode(e.target.value as SslMode)}
          >
            {SSL_MODES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          Password variable
          <input
            aria-label="Password environment variable"
            value={passwordEnv}
            onChange={(e) => setPasswordEnv(e.target.value)}
          />
        </label>
        <label>
          Password (keychain)
          <span className="export-actions">
            <input
              aria-label="Password to save in the keychain"
              type="password"
              autoComplete="off"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <button
              type="button"
              disabled={!password || !url.trim() || busy !== undefined}
              onClick={() =>
                void act('save', async () => {
                  await api().call('sink.postgres.savePassword', { target, password });
                  setPassword('');
                  setNote('Password saved in the keychain.');
                })
              }
            >
              Save
            </button>
          </span>
        </label>
        <label className="export-format">
          <input type="checkbox" checked={silver} onChange={(e) => setSilver(e.target.checked)} />
          <span>Silver events too (silver_events, partitioned by day)</span>
        </label>
      </div>
      <div className="export-actions" role="toolbar" aria-label="PostgreSQL sink">
        <button
          type="button"
          disabled={!url.trim() || busy !== undefined}
          onClick={() =>
            void act('test', async () => setTest(await api().call('sink.postgres.test', { target })))
          }
        >
          Test connection
        </button>
        {!running ? (
          <button
            type="button"
            className="primary"
            disabled={!url.trim() || busy !== undefined}
            onClick={() =>
              void act('start', async () =>
                setStatus(await api().call('sink.postgres.start', { target, silver })),
              )
            }
          >
            Start sink
          </button>
        ) : (
          <button
            type="button"
            disabled={busy !== undefined}
            onClick={() =>
              void act('stop', async () => setStatus(await api().call('sink.postgres.stop', {})))
            }
          >
            Stop sink
          </button>
        )}
        <button
          type="button"
          disabled={!url.trim() || busy !== undefined}
          title="Builds every table anew beside the old ones and swaps them in one transaction"
          onClick={() =>
            void act('rebuild', async () => {
              const r = await api().call('sink.postgres.rebuild', { target, silver });
              setNote(`Rebuilt ${Object.keys(r.tables).length} tables in PostgreSQL.`);
            })
          }
        >
          Rebuild in PostgreSQL
        </button>
        {busy && <span className="muted">Working…</span>}
      </div>
      {test && (
        <p role="status" className={test.ok ? 'muted' : 'banner error'} data-failure={test.failure ?? ''}>
          {test.ok ? '✓ ' : `${test.failure}: `}
          {test.message}
        </p>
      )}
      {note && <p className="muted">{note}</p>}
      {error && (
        <p role="alert" className="banner error">
          {error}
        </p>
      )}
      {status && status.state !== 'stopped' && <SinkStatusView status={status} />}
    </fieldset>
  );
}

function SinkStatusView({ status }: { status: SinkStatus }) {
  return (
    <div aria-label="Sink status">
      <p>
        <strong data-state={status.state}>{STATE_LABELS[status.state]}</strong>{' '}
        <span className="muted">
          {status.target} · schema {status.schema} · last sync{' '}
          {status.lastSyncAt ? formatTimestamp(status.lastSyncAt) : '–'} · lag {seconds(status.lagSeconds)} ·
          refresh→PostgreSQL p50 {seconds(status.latencyP50)}, p95 {seconds(status.latencyP95)}
        </span>
      </p>
      {status.lastError && (
        <p role="alert" className="banner error">
          {status.lastError}
          {status.retryAt && ` Next attempt at ${formatTimestamp(status.retryAt).slice(11, 19)}.`}
        </p>
      )}
      <table className="sinks-tables">
        <thead>
          <tr>
            <th>Table</th>
            <th>Rows</th>
            <th>Last sync</th>
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {status.tables.map((t) => (
            <tr key={t.table}>
              <td>
                <code>{t.table}</code>
              </td>
              <td className="num">{formatInteger(t.rows)}</td>
              <td>{t.lastSyncAt ? formatTimestamp(t.lastSyncAt) : '–'}</td>
              <td>{t.error ?? (t.behind ? 'behind Gold' : 'current')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
