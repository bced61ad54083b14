import { useMemo, useState, type DragEvent } from 'react';
import { missingRequired, type SourceInspection } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { useCall } from '../../api/hooks';
import { desktop } from '../../api/transport';
import { DataGrid } from '../../components/grid/DataGrid';
import { formatBytes } from '../../lib/format';
import { usePathPicker } from '../../lib/usePathPicker';
import { useSettings } from '../../lib/useSettings';
import { DownloadMonth } from './DownloadMonth';
import { GenerateDataset } from './GenerateDataset';
import { MappingEditor } from './MappingEditor';
import { StartReplay } from './StartReplay';
import './replay-run.css';

const KIND_LABELS: Record<SourceInspection['kind'], string> = {
  'rees46-behavior': 'REES46 multi-category behaviour data',
  'rees46-purchases': 'REES46 electronics purchase history (every row a purchase)',
  'click-log': 'Click log (user, session, event, timestamp)',
  custom: 'Unrecognized layout: check the mapping',
};

/** Choose a dataset, see what DuckDB detects in it, and confirm how its columns map to the canonical event. */
export function ReplayScreen() {
  const info = useCall('app.info', {});
  const picker = usePathPicker();
  const [inspection, setInspection] = useState<SourceInspection>();
  const [mapping, setMapping] = useState<SourceInspection['mapping']>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [settings, updateSettings] = useSettings();
  const recent = settings?.recentDatasets ?? [];

  const load = async (path: string) => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await api().call('replay.inspect', { path });
      setInspection(result);
      setMapping(result.mapping);
      // Remembered across sessions, newest first (the sample is always one click away anyway).
      if (!(info.state === 'ready' && path === info.value.sampleDataset)) {
        await updateSettings({ recentDatasets: [path, ...recent.filter((p) => p !== path)].slice(0, 10) });
      }
    } catch (e) {
      setInspection(undefined);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const choose = async () => {
    const path = await picker.pick({
      mode: 'file',
      title: 'Choose a clickstream file',
      filters: [
        { name: 'Clickstream', extensions: ['csv', 'gz', 'tsv', 'parquet', 'json', 'jsonl', 'ndjson'] },
      ],
    });
    if (path) await load(path);
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    const file = event.dataTransfer.files[0];
    if (!file) return;
    const native = desktop();
    if (native)
      void native.pathForFile(file).then((path) => {
        if (path) void load(path);
      });
    else setError('Dropping files works in the desktop app; in the browser, use “Choose file…”.');
  };

  const previewRows = useMemo(() => inspection?.preview ?? [], [inspection]);
  const fetchPreview = useMemo(
    () => async (offset: number, limit: number) => previewRows.slice(offset, offset + limit),
    [previewRows],
  );
  const missing = inspection ? missingRequired(mapping, inspection.constantEventType) : [];

  return (
    <div className="replay-screen" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <section className="replay-source" aria-label="Dataset">
        <h2>Dataset</h2>
        <div className="row">
          <button type="button" onClick={() => void choose()} disabled={busy}>
            Choose file…
          </button>
          <button
            type="button"
            disabled={busy || info.state !== 'ready' || !info.value.sampleDataset}
            onClick={() =>
              info.state === 'ready' && info.value.sampleDataset && void load(info.value.sampleDataset)
            }
          >
            Use sample
          </button>
          <span className="muted">or drop a CSV, CSV.gz, Parquet or JSON-lines file on the window</span>
        </div>
        {recent.length > 0 && (
          <div className="row">
            <span className="muted">Recent:</span>
            {recent.map((path) => (
              <button
                key={path}
                type="button"
                className="link"
                title={path}
                aria-label={`Open recent dataset ${path}`}
                disabled={busy}
                onClick={() => void load(path)}
              >
                {path.split(/[\\/]/).pop()}
              </button>
            ))}
          </div>
        )}
        {busy && <p className="muted">Reading…</p>}
        {error && (
          <p role="alert" className="banner error">
            {error}
          </p>
        )}
        {inspection && (
          <dl className="facts">
            <dt>File</dt>
            <dd>{inspection.path}</dd>
            <dt>Format</dt>
            <dd>
              {inspection.format.toUpperCase()}, {formatBytes(inspection.sizeBytes)}
            </dd>
            <dt>Detected</dt>
            <dd>{KIND_LABELS[inspection.kind]}</dd>
          </dl>
        )}
        <DownloadMonth onDownloaded={(path) => void load(path)} />
        <GenerateDataset onGenerated={(path) => void load(path)} disabled={busy} />
      </section>
      {inspection && (
        <>
          <section className="replay-mapping" aria-label="Mapping">
            <h2>Mapping to the canonical event</h2>
            <MappingEditor
              columns={inspection.columns}
              mapping={mapping}
              constantEventType={inspection.constantEventType}
              onChange={setMapping}
            />
            {missing.length > 0 && (
              <p role="alert" className="error-text">
                Map a column to {missing.join(', ')} before replaying.
              </p>
            )}
          </section>
          <section className="replay-preview" aria-label="Preview">
            <h2>First {inspection.preview.length} rows</h2>
            <DataGrid
              label="Preview"
              columns={inspection.columns}
              totalRows={previewRows.length}
              fetchRows={fetchPreview}
            />
          </section>
        </>
      )}
      <StartReplay
        dataset={
          inspection
            ? { path: inspection.path, mapping, constantEventType: inspection.constantEventType }
            : undefined
        }
        blocker={missing.length > 0 ? `Map a column to ${missing.join(', ')} first.` : undefined}
      />
      <p className="attribution muted">
        Sample: the first 1,000 events of REES46 “eCommerce behavior data from multi category store” (Open
        CDP).
      </p>
      {picker.element}
    </div>
  );
}
