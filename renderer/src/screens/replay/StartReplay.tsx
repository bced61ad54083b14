import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { useCall } from '../../api/hooks';
import { formatInteger, formatPercent } from '../../lib/format';
import { usePathPicker } from '../../lib/usePathPicker';
import { useResumePoint } from './useResumePoint';
import { RunOptionsPanel } from './RunOptionsPanel';
import {
  buildReplayRequest,
  streamRequestFor,
  type DatasetChoice,
  type ReplayRequest,
  type RunForm,
} from './run-options';

/**
 * Starts the lake consumer on the replay's topic. One consumer runs at a time: one that follows another
 * topic (or lake) is stopped first, after it flushes what it holds.
 */
async function followTopic(request: ReplayRequest): Promise<void> {
  const wanted = streamRequestFor(request);
  try {
    await api().call('stream.start', wanted);
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 'CONFLICT')) throw e;
    await api().call('stream.stop', {});
    await api().call('stream.start', wanted);
  }
}

interface Props {
  /** The options as typed; kept by the Replay screen so they outlive it (see replay-draft.ts). */
  form: RunForm;
  onForm: (patch: Partial<RunForm>) => void;
  /** The inspected file and its confirmed mapping; undefined until a file is chosen. */
  dataset: DatasetChoice | undefined;
  /** Why the dataset cannot be replayed as mapped (missing required fields), shown next to Start. */
  blocker: string | undefined;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const START_SHORTCUT = isMac ? '⌘+Enter' : 'Ctrl+Enter';

/** The run options, Start (button or Ctrl/Cmd+Enter) and the hand-over to the Monitor screen. */
export function StartReplay({ form, onForm, dataset, blocker }: Props) {
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string>();
  const [infoVersion, setInfoVersion] = useState(0);
  const [chosenLake, setChosenLake] = useState<string>();
  const info = useCall('app.info', {}, [infoVersion]);
  const picker = usePathPicker();
  const lakeDir = info.state === 'ready' ? info.value.lakeDir : undefined;

  const { request, errors } = useMemo(
    () => buildReplayRequest(form, dataset ?? { path: 'not chosen yet' }),
    [form, dataset],
  );
  const canStart = Boolean(dataset && request && !blocker && !starting);
  const resume = useResumePoint(dataset && form.resume ? request : undefined);

  const start = useCallback(async () => {
    if (!request || !dataset || blocker) return;
    setStarting(true);
    setError(undefined);
    try {
      // The replay runs even when the lake consumer cannot start: the Monitor shows why, and the
      // events wait in the topic for a later stream.
      if (form.streamToLake) await followTopic(request).catch(() => undefined);
      await api().call('replay.start', request);
      window.location.hash = '#/monitor';
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setStarting(false);
    }
  }, [request, dataset, blocker, form.streamToLake]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && canStart) {
        event.preventDefault();
        void start();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [start, canStart]);

  const changeLake = async () => {
    const path = await picker.pick({ mode: 'folder', title: 'Choose the lake folder' }, lakeDir);
    if (!path) return;
    try {
      await api().call('settings.update', { lakeDir: path });
      setChosenLake(path);
      setInfoVersion((v) => v + 1);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  // A page hands the Kafka client only a CA file the user chose (the dialog or picker grants it).
  const chooseCa = async () => {
    const path = await picker.pick({
      mode: 'file',
      title: "The cluster's TLS CA file",
      filters: [{ name: 'PEM certificate', extensions: ['pem', 'crt', 'cer'] }],
      purpose: 'tls',
    });
    if (path) onForm({ tlsCa: path });
  };

  const invalidCount = Object.keys(errors).length;
  return (
    <section className="replay-run" aria-label="Run options">
      <h2>Run options</h2>
      <RunOptionsPanel
        form={form}
        errors={errors}
        onChange={onForm}
        lakeDir={lakeDir}
        onChangeLake={() => void changeLake()}
        onChooseCa={() => void chooseCa()}
      />
      <div className="run-start">
        <button
          type="button"
          className="primary"
          disabled={!canStart}
          title={`Start the replay (${START_SHORTCUT}), then watch it on the Monitor screen`}
          aria-keyshortcuts="Control+Enter Meta+Enter"
          onClick={() => void start()}
        >
          {starting ? 'Starting…' : 'Start replay'}
        </button>
        <span className="muted">{START_SHORTCUT}</span>
        {resume && (
          <span data-testid="resume-point" className={resume.completed ? 'muted' : 'resume-point'}>
            {resume.completed
              ? 'The last replay of this file onto this topic completed: it starts again from row 1.'
              : `Resume from row ${formatInteger(resume.rowsDone + 1)}${
                  resume.estimatedRows ? ` (${formatPercent(resume.rowsDone / resume.estimatedRows, 0)})` : ''
                }`}
          </span>
        )}
        {!dataset && <span className="muted">Choose, download or generate a dataset first.</span>}
        {dataset && blocker && <span className="error-text">{blocker}</span>}
        {dataset && invalidCount > 0 && (
          <span className="error-text">
            Fix the {invalidCount === 1 ? 'option' : `${invalidCount} options`} marked above to start.
          </span>
        )}
      </div>
      {chosenLake && lakeDir && chosenLake !== lakeDir && (
        <p className="muted">
          Saved {chosenLake} as the lake folder. This session was started with another one (--lake), which
          stays in use until the next start.
        </p>
      )}
      {error && (
        <p role="alert" className="banner error">
          {error}
        </p>
      )}
      {picker.element}
    </section>
  );
}
