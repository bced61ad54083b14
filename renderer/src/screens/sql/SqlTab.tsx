import type { SQLNamespace } from '@codemirror/lang-sql';
import type { EditorView } from '@codemirror/view';
import { useEffect, useRef, useState } from 'react';
import { ApiError, type QueryOpened } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { saveResult } from '../../api/saveResult';
import { prefetchFirstPage, useQueryGrid } from '../../api/useQueryGrid';
import { QueryGrid } from '../../components/grid/QueryGrid';
import { formatInteger } from '../../lib/format';
import { usePathPicker } from '../../lib/usePathPicker';
import { ResultChart } from './ResultChart';
import { SqlEditor, statementUnderCursor } from './SqlEditor';

/** One query tab: its editor, run and cancel, its own result (as a grid or a chart) and saving it. */
export function SqlTab(props: {
  sql: string;
  onSqlChange: (sql: string) => void;
  schema: SQLNamespace;
  onRan: (statement: string) => void;
  onView: (view: EditorView | undefined) => void;
}) {
  const [opened, setOpened] = useState<QueryOpened>();
  /** When the query being run now started (performance.now()), and how many seconds it has run. */
  const [running, setRunning] = useState<{ started: number; seconds: number }>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [view, setView] = useState<'table' | 'chart'>('table');
  const grid = useQueryGrid(opened);
  const picker = usePathPicker();
  // The id of the query being run now: chosen here so Cancel can reach it while it waits or runs.
  const runningId = useRef<string | undefined>(undefined);
  const editor = useRef<EditorView | undefined>(undefined);

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(
      () => setRunning((r) => r && { ...r, seconds: Math.floor((performance.now() - r.started) / 1000) }),
      250,
    );
    return () => clearInterval(timer);
  }, [running?.started]); // eslint-disable-line react-hooks/exhaustive-deps

  // A result that is replaced or left behind is closed: the server drops its materialized rows (and stops
  // writing them if it still was). Keyed by id: the same result with its final count is not a new one.
  const openedId = opened?.queryId;
  useEffect(() => {
    if (!openedId) return;
    return () =>
      void api()
        .call('query.close', { queryId: openedId })
        .catch(() => undefined);
  }, [openedId]);
  /** The result shown now, for answers that arrive after it was replaced. */
  const shownId = useRef<string | undefined>(undefined);
  useEffect(() => {
    shownId.current = openedId;
  }, [openedId]);

  /** Waits for every row of a result shown while it was still being written, then shows its count. */
  const countRows = async (result: QueryOpened, started: number) => {
    try {
      const { totalRows } = await api().call('query.count', { queryId: result.queryId });
      if (shownId.current !== result.queryId) return;
      setOpened({ ...result, totalRows, counting: false });
      setNotice(`${formatInteger(totalRows)} rows in ${ms(started)} ms`);
    } catch (e) {
      if (shownId.current !== result.queryId) return;
      // Cancelled or failed while writing: what was shown is not the whole result, so it goes.
      setOpened(undefined);
      const seconds = Math.round((performance.now() - started) / 1000);
      if (e instanceof ApiError && e.code === 'CANCELLED') setNotice(`Cancelled after ${seconds} s`);
      else {
        setNotice(undefined);
        setError(e instanceof Error ? e.message : String(e));
      }
    }
  };

  const run = async (statement: string) => {
    if (running || !statement.trim()) return;
    setError(undefined);
    setNotice(undefined);
    const started = performance.now();
    setRunning({ started, seconds: 0 });
    const queryId = newQueryId();
    runningId.current = queryId;
    try {
      // The first rows come as soon as they are in; the count follows when the rest is (see countRows).
      const result = await api().call('query.run', { sql: statement, queryId, early: true });
      prefetchFirstPage(result);
      setOpened(result);
      shownId.current = result.queryId;
      props.onRan(statement);
      if (result.counting) {
        setNotice(`First ${formatInteger(result.totalRows)} rows in ${ms(started)} ms; counting…`);
        void countRows(result, started);
      } else setNotice(`${formatInteger(result.totalRows)} rows in ${ms(started)} ms`);
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
    try {
      const saved = await saveResult(opened, grid, format, picker.pick);
      if (saved) setNotice(`Saved ${saved}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const { onView } = props;
  return (
    <>
      <SqlEditor
        value={props.sql}
        onChange={props.onSqlChange}
        schema={props.schema}
        onRun={(statement) => void run(statement)}
        onView={(v) => {
          editor.current = v;
          onView(v);
        }}
      />
      <div className="sql-toolbar" role="toolbar" aria-label="Query">
        <button
          type="button"
          className="primary"
          title="Runs the statement under the cursor (Ctrl/⌘+Enter)"
          onClick={() => void run(editor.current ? statementUnderCursor(editor.current) : props.sql)}
          disabled={running !== undefined}
        >
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
        <span className="sql-view-switch" role="group" aria-label="Show the result as">
          <button
            type="button"
            aria-pressed={view === 'table'}
            disabled={!opened}
            onClick={() => setView('table')}
          >
            Table
          </button>
          <button
            type="button"
            aria-pressed={view === 'chart'}
            disabled={!opened}
            onClick={() => setView('chart')}
          >
            Chart
          </button>
        </span>
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
      {opened && view === 'table' && <QueryGrid label="Query result" opened={opened} grid={grid} />}
      {opened && view === 'chart' && <ResultChart opened={opened} grid={grid} />}
      {picker.element}
    </>
  );
}

const ms = (started: number) => Math.round(performance.now() - started);

let lastId = 0;
/** A query id unlikely to meet the server's own (q1, q2, …): the time in ms, then a counter. */
function newQueryId(): string {
  lastId = Math.max(lastId + 1, Date.now() * 1000);
  return `q${lastId}`;
}
