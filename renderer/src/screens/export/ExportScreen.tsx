import { useCallback, useRef, useState } from 'react';
import type { ExportedFile, ExportFormat, ExportProgress } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { useCall, useEvent } from '../../api/hooks';
import { EmptyState } from '../../components/EmptyState';
import { usePathPicker } from '../../lib/usePathPicker';
import { ExportedFiles } from './ExportedFiles';
import { FORMATS } from './formats';
import { SinksPanel } from './SinksPanel';
import { TableChooser } from './TableChooser';
import './export.css';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Choose Gold tables, formats and a folder; export atomically; see the files written. */
export function ExportScreen() {
  const [refresh, setRefresh] = useState(0);
  const listing = useCall('export.tables', {}, [refresh]);
  const [chosen, setChosen] = useState<Set<string>>();
  const [formats, setFormats] = useState<Set<ExportFormat>>(() => new Set(['csv', 'tableau']));
  const [outDir, setOutDir] = useState('');
  const [results, setResults] = useState<string[]>([]);
  const [force, setForce] = useState(false);
  const [keepNumbers, setKeepNumbers] = useState(false);
  const [running, setRunning] = useState<string>();
  const [progress, setProgress] = useState<ExportProgress>();
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<{ outDir: string; files: ExportedFile[] }>();
  const picker = usePathPicker();
  // A ref, not state: progress events may arrive before the re-render that follows setRunning.
  const runningId = useRef<string>(undefined);

  useEvent(
    'export.progress',
    useCallback((p: ExportProgress) => {
      if (p.exportId === runningId.current) setProgress(p);
    }, []),
  );

  if (listing.state === 'loading') return <p className="muted">Reading the lake…</p>;
  if (listing.state === 'error') {
    return (
      <EmptyState title="The lake cannot be read">
        <p role="alert" className="error-text">
          {listing.message}
        </p>
      </EmptyState>
    );
  }
  const { tables, lakeDir } = listing.value;
  if (tables.length === 0) {
    return (
      <EmptyState title="No Gold tables yet">
        <p className="muted">
          Replay a dataset (or run <code>clickpulse build all --lake {lakeDir}</code>) to build Gold in{' '}
          {lakeDir}, then come back to export it.
        </p>
        <button type="button" onClick={() => setRefresh((r) => r + 1)}>
          Look again
        </button>
      </EmptyState>
    );
  }
  const selected = chosen ?? new Set(tables.map((t) => t.name));

  const toggleFormat = (id: ExportFormat) => {
    const next = new Set(formats);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setFormats(next);
  };

  const choose = async () => {
    const path = await picker.pick({ mode: 'folder', title: 'Export into this folder' }, outDir || undefined);
    if (path) setOutDir(path);
  };

  const addResult = async () => {
    const path = await picker.pick({
      mode: 'file',
      title: 'A result saved from the SQL console',
      filters: [{ name: 'Saved results', extensions: ['parquet', 'csv'] }],
    });
    if (path && !results.includes(path)) setResults([...results, path]);
  };

  const run = async () => {
    const exportId = `x${Date.now()}`;
    runningId.current = exportId;
    setRunning(exportId);
    setProgress(undefined);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(
        await api().call('export.run', {
          tables: tables.map((t) => t.name).filter((n) => selected.has(n)),
          results,
          formats: FORMATS.map((f) => f.id).filter((f) => formats.has(f)),
          outDir: outDir.trim(),
          force,
          csvKeepNumbers: keepNumbers,
          exportId,
        }),
      );
    } catch (e) {
      setError(message(e));
    } finally {
      runningId.current = undefined;
      setRunning(undefined);
    }
  };

  const missing = [
    selected.size === 0 && results.length === 0 && 'a table or a saved result',
    formats.size === 0 && 'a format',
    !outDir.trim() && 'an output folder',
  ].filter(Boolean);

  return (
    <div className="export-screen">
      <header className="export-header">
        <h1>Export Gold</h1>
        <span className="muted">from {lakeDir}</span>
      </header>
      <TableChooser tables={tables} chosen={selected} excel={formats.has('xlsx')} onChange={setChosen} />
      <fieldset className="export-card">
        <legend>Saved SQL results</legend>
        <p className="muted">
          A result saved from the SQL console (Parquet or CSV) is exported like a Gold table, named after its
          file.
        </p>
        {results.length > 0 && (
          <ul aria-label="Saved results to export">
            {results.map((path) => (
              <li key={path}>
                <code>{path}</code>{' '}
                <button
                  type="button"
                  aria-label={`Remove ${path}`}
                  onClick={() => setResults(results.filter((r) => r !== path))}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        <button type="button" onClick={() => void addResult()}>
          Add a saved result…
        </button>
      </fieldset>
      <div className="export-row">
        <fieldset className="export-card">
          <legend>Formats</legend>
          {FORMATS.map((f) => (
            <label key={f.id} className="export-format">
              <input type="checkbox" checked={formats.has(f.id)} onChange={() => toggleFormat(f.id)} />
              <span>
                {f.label} <span className="muted">— {f.hint}</span>
              </span>
            </label>
          ))}
          <label className="export-format">
            <input type="checkbox" checked={keepNumbers} onChange={(e) => setKeepNumbers(e.target.checked)} />
            <span>
              Leave numeric CSV columns as numbers{' '}
              <span className="muted">
                — text cells starting with = + - @ are always prefixed with ' so spreadsheets do not run them
                as formulas; numbers such as -2 are too, unless this is ticked
              </span>
            </span>
          </label>
        </fieldset>
        <fieldset className="export-card">
          <legend>Output folder</legend>
          <div className="export-actions">
            <input
              aria-label="Output folder"
              className="export-folder"
              placeholder="/path/to/a/folder"
              value={outDir}
              onChange={(e) => setOutDir(e.target.value)}
            />
            <button type="button" onClick={() => void choose()}>
              Choose…
            </button>
          </div>
          <label className="export-format">
            <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
            <span>Overwrite files that already exist</span>
          </label>
          <p className="muted">
            Files appear only once all are written: a failed or cancelled export leaves the folder as it was.
          </p>
        </fieldset>
      </div>
      <div className="export-actions" role="toolbar" aria-label="Export">
        <button
          type="button"
          className="primary"
          disabled={running !== undefined || missing.length > 0}
          onClick={() => void run()}
        >
          Export
        </button>
        {running && (
          <button type="button" onClick={() => void api().call('export.cancel', { exportId: running })}>
            Cancel
          </button>
        )}
        {!running && missing.length > 0 && <span className="muted">Choose {missing.join(', ')}.</span>}
        {running && (
          <span role="status" className="muted">
            {progress ? `Writing ${progress.step} (${progress.done + 1} of ${progress.total})…` : 'Starting…'}
          </span>
        )}
        {running && progress && <progress max={progress.total} value={progress.done} />}
      </div>
      {error && (
        <p role="alert" className="banner error">
          {error}
        </p>
      )}
      {result && <ExportedFiles outDir={result.outDir} files={result.files} />}
      <SinksPanel />
      {picker.element}
    </div>
  );
}
