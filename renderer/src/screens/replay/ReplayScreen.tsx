import { useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { missingRequired, type SourceInspection } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { useCall } from '../../api/hooks';
import { desktop } from '../../api/transport';
import { DataGrid } from '../../components/grid/DataGrid';
import { formatBytes } from '../../lib/format';
import { usePathPicker } from '../../lib/usePathPicker';
import { useSettings } from '../../lib/useSettings';
import { DownloadMonth } from './DownloadMonth';
import { FirstRunGuide } from './FirstRunGuide';
import { replayDraft, restoreForm, updateDraft } from './replay-draft';
import type { RunForm } from './run-options';
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
  // Kept outside the screen (replay-draft.ts): leaving and coming back finds everything as it was.
  const [inspection, setInspectionState] = useState<SourceInspection | undefined>(
    () => replayDraft().inspection,
  );
  const [mapping, setMappingState] = useState<SourceInspection['mapping']>(() => replayDraft().mapping);
  const [form, setFormState] = useState<RunForm>(() => replayDraft().form);
  const setInspection = (value: SourceInspection | undefined) => {
    setInspectionState(value);
    updateDraft({ inspection: value });
  };
  const setMapping = (value: SourceInspection['mapping']) => {
    setMappingState(value);
    updateDraft({ mapping: value });
  };
  const setForm = (update: (f: RunForm) => RunForm) =>
    setFormState((f) => {
      const next = update(f);
      updateDraft({ form: next });
      return next;
    });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const loads = useRef(0);
  const [settings, updateSettings] = useSettings();
  const recent = settings?.recentDatasets ?? [];

  const load = async (path: string, restore?: NonNullable<typeof settings>['replayDraft']) => {
    const seq = ++loads.current;
    setBusy(true);
    setError(undefined);
    try {
      const result = await api().call('replay.inspect', { path });
      // A later choice wins over an earlier one still in flight (the restore after a restart among them).
      if (seq !== loads.current) return;
      setInspection(result);
      setMapping(restore ? { ...result.mapping, ...restore.mapping } : result.mapping);
      if (restore) {
        const restored = restoreForm(restore.form);
        setForm(() => restored);
        return;
      }
      // Remembered across sessions, newest first (the sample is always one click away anyway).
      if (!(info.state === 'ready' && path === info.value.sampleDataset)) {
        await updateSettings({ recentDatasets: [path, ...recent.filter((p) => p !== path)].slice(0, 10) });
      }
    } catch (e) {
      if (seq !== loads.current) return;
      setInspection(undefined);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  // After a restart: the dataset, mapping and options last used, once the settings have arrived.
  const restored = useRef(false);
  useEffect(() => {
    if (restored.current || !settings) return;
    restored.current = true;
    const saved = settings.replayDraft;
    // Only into an untouched screen: a dataset the user is already loading wins.
    if (!replayDraft().inspection && saved && loads.current === 0) void load(saved.path, saved);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the settings first arrive
  }, [settings]);

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
      <FirstRunGuide
        settings={settings}
        empty={recent.length === 0}
        onDismiss={() => void updateSettings({ guideDismissed: true })}
        onSample={() =>
          info.state === 'ready' && info.value.sampleDataset && void load(info.value.sampleDataset)
        }
      />
      <section className="replay-source" aria-label="Dataset">
        <h2>Dataset</h2>
        <div className="row">
          {/* Never disabled while a dataset is read (the restore after a restart among them): the user's
              choice is a later load, and a later load wins over one still in flight. */}
          <button type="button" onClick={() => void choose()}>
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
              fit
              columns={inspection.columns}
              totalRows={previewRows.length}
              fetchRows={fetchPreview}
            />
          </section>
        </>
      )}
      <StartReplay
        form={form}
        onForm={(patch) => setForm((f) => ({ ...f, ...patch }))}
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
