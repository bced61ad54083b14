import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { ApiError } from '../../../../pipeline/contract';
import type { QueryOpened } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { useQueryGrid } from '../../api/useQueryGrid';
import { QueryGrid } from '../../components/grid/QueryGrid';
import { formatInteger } from '../../lib/format';
import { usePathPicker } from '../../lib/usePathPicker';
import { loadHistory, remember } from './history';

const EXAMPLE = `-- Read-only DuckDB SQL over bronze.*, silver.*, gold.* (Ctrl+Enter runs)
SELECT event_type, count(*) AS events, sum(price) AS total
FROM silver.events
GROUP BY event_type
ORDER BY events DESC`;

/** A SQL editor with history, run and cancel, results in the lake grid, and saving the result. */
export function SqlScreen() {
  const [history, setHistory] = useState(loadHistory);
  const [sql, setSql] = useState(() => history[0] ?? EXAMPLE);
  const [opened, setOpened] = useState<QueryOpened>();
  /** When the query being run now started (performance.now()), and how many seconds it has run. */
  const [running, setRunning] = useState<{ started: number; seconds: number }>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const grid = useQueryGrid(opened);
  const picker = usePathPicker();
  // The id of the query being run now: chosen here so Cancel can reach it while it waits or runs.
  const runningId = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(
      () => setRunning((r) => r && { ...r, seconds: Math.floor((performance.now() - r.started) / 1000) }),
      250,
    );
    return () => clearInterval(timer);
  }, [running?.started]); // eslint-disable-line react-hooks/exhaustive-deps

  // A result that is replaced or left behind is closed: the server drops its materialized rows.
  useEffect(() => {
    if (!opened) return;
    const queryId = opened.queryId;
    return () =>
      void api()
        .call('query.close', { queryId })
        .catch(() => undefined);
  }, [opened]);

  const run = async () => {
    if (running || !sql.trim()) return;
    setError(undefined);
    setNotice(undefined);
    const started = performance.now();
    setRunning({ started, seconds: 0 });
    const queryId = newQueryId();
    runningId.current = queryId;
    try {
      const result = await api().call('query.run', { sql, queryId });
      setOpened(result);
      setHistory((h) => remember(h, sql));
      setNotice(`${formatInteger(result.totalRows)} rows in ${Math.round(performance.now() - started)} ms`);
    } catch (e) {
      // A failed run leaves no result behind: nothing stale to read or save.
      setOpened(undefined);
      const seconds = Math.round((performance.now() - started) / 1000);
      if (e instanceof ApiError && e.code === 'CANCELLED') setNotice(`Cancelled after ${seconds} s`);
      else setError(e instanceof Error ? e.message : String(e));
    } finally {
      runningId.current = undefined;
      setRunning(undefined);
    }
  };

  /** Cancels the query being run now, or else the open result's running page or count. */
  const cancel = async () => {
    const queryId = runningId.current ?? opened?.queryId;
    if (queryId) await api().call('query.cancel', { queryId });
  };

  const save = async (format: 'csv' | 'parquet') => {
    if (!opened) return;
    const path = await picker.pick({
      mode: 'save',
      title: `Save the result as ${format.toUpperCase()}`,
      filters: [{ name: format.toUpperCase(), extensions: [format] }],
    });
    if (!path) return;
    const target = path.toLowerCase().endsWith(`.${format}`) ? path : `${path}.${format}`;
    try {
      const saved = await api().call('query.save', {
        queryId: opened.queryId,
        path: target,
        format,
        ...(grid.sort ? { sort: grid.sort } : {}),
        ...(grid.filters.length ? { filters: grid.filters } : {}),
      });
      setNotice(`Saved ${saved.path}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
      event.preventDefault();
      void run();
    }
  };

  return (
    <div className="sql-screen">
      <div className="sql-editor-row">
        <textarea
          aria-label="SQL"
          className="sql-editor"
          spellCheck={false}
          value={sql}
          onChange={(e) => setSql(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <div className="sql-side">
          <label>
            History
            <select aria-label="History" value="" onChange={(e) => e.target.value && setSql(e.target.value)}>
              <option value="">
                {history.length ? `${history.length} earlier queries…` : 'No earlier queries'}
              </option>
              {history.map((h) => (
                <option key={h} value={h}>
                  {h.replace(/\s+/g, ' ').slice(0, 80)}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      <div className="sql-toolbar" role="toolbar" aria-label="Query">
        <button type="button" className="primary" onClick={() => void run()} disabled={running !== undefined}>
          Run
        </button>
        <button type="button" onClick={() => void cancel()} disabled={!opened && running === undefined}>
          Cancel
        </button>
        <button type="button" onClick={() => void save('csv')} disabled={!opened}>
          Save as CSV…
        </button>
        <button type="button" onClick={() => void save('parquet')} disabled={!opened}>
          Save as Parquet…
        </button>
        {running && (
          <span className="muted" role="timer" aria-label="Running">
            Running… {running.seconds} s
          </span>
        )}
        {notice && (
          <span role="status" className="muted">
            {notice}
          </span>
        )}
      </div>
      {error && (
        <pre role="alert" className="banner error sql-error">
          {error}
        </pre>
      )}
      {opened && <QueryGrid label="Query result" opened={opened} grid={grid} />}
      {picker.element}
    </div>
  );
}

let lastId = 0;
/** A query id unlikely to meet the server's own (q1, q2, …): the time in ms, then a counter. */
function newQueryId(): string {
  lastId = Math.max(lastId + 1, Date.now() * 1000);
  return `q${lastId}`;
}
