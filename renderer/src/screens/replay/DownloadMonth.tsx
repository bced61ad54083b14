import { useCallback, useState } from 'react';
import { ApiError, type DownloadProgress } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { useCall, useEvent } from '../../api/hooks';
import { formatBytes, formatDuration } from '../../lib/format';
import { usePathPicker } from '../../lib/usePathPicker';

const DATASET_PAGE =
  'https://www.kaggle.com/datasets/mkechinov/ecommerce-behavior-data-from-multi-category-store';
const REES46_SITE = 'https://rees46.com';

interface Props {
  /** Called with the complete `.csv.gz` so the screen offers it as the dataset (replayed straight from gzip). */
  onDownloaded: (path: string) => void;
}

/**
 * Fetches a month of the real REES46 data from the publisher, with progress, cancel and resume (a cancelled
 * or broken download continues where it stopped when started again).
 */
export function DownloadMonth({ onDownloaded }: Props) {
  const defaults = useCall('dataset.downloadDefaults', {});
  const picker = usePathPicker();
  const [month, setMonth] = useState('2019-Oct');
  const [folder, setFolder] = useState<string>();
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<DownloadProgress>();
  const [error, setError] = useState<string>();
  const [existing, setExisting] = useState<{ message: string; path: string }>();

  const outDir = folder ?? (defaults.state === 'ready' ? defaults.value.outDir : undefined);

  useEvent(
    'dataset.downloadProgress',
    useCallback(
      (p: DownloadProgress) => {
        if (p.month === month) setProgress(p);
      },
      [month],
    ),
  );

  const start = async (force: boolean) => {
    if (!outDir) return;
    setRunning(true);
    setError(undefined);
    setExisting(undefined);
    setProgress(undefined);
    try {
      const result = await api().call('dataset.download', { month, outDir, force });
      onDownloaded(result.path);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (e instanceof ApiError && e.code === 'CONFLICT' && !force) {
        const path = pathIn(outDir, `${month}.csv.gz`);
        setExisting({
          message: `${month} is already downloaded: ${path}. Use it, or download it again?`,
          path,
        });
      } else {
        setError(message);
      }
    } finally {
      setRunning(false);
    }
  };

  const chooseFolder = async () => {
    const path = await picker.pick({ mode: 'folder', title: 'Download the month into…' }, outDir);
    if (path) setFolder(path);
  };

  const shown = running || progress?.state === 'cancelled' ? progress : undefined;

  return (
    <section className="download-month" aria-label="Download a REES46 month">
      <h3>Download a REES46 month</h3>
      <div className="row">
        <label>
          Month{' '}
          <select value={month} disabled={running} onChange={(e) => setMonth(e.target.value)}>
            {(defaults.state === 'ready' ? defaults.value.months : [month]).map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <span className="muted" title={outDir}>
          into {outDir ?? '…'}
        </span>
        <button type="button" disabled={running} onClick={() => void chooseFolder()}>
          Folder…
        </button>
        {running ? (
          <button type="button" onClick={() => void api().call('dataset.cancelDownload', { month })}>
            Cancel
          </button>
        ) : (
          <button type="button" disabled={!outDir} onClick={() => void start(false)}>
            Download
          </button>
        )}
      </div>
      {shown && <ProgressLine progress={shown} />}
      {existing && (
        <div role="alert" className="banner">
          <p>{existing.message}</p>
          <div className="row">
            <button type="button" onClick={() => onDownloaded(existing.path)}>
              Use the downloaded file
            </button>
            <button type="button" onClick={() => void start(true)}>
              Download again and replace it
            </button>
          </div>
        </div>
      )}
      {error && (
        <p role="alert" className="banner error">
          {error}
        </p>
      )}
      <p className="attribution muted">
        Data: “eCommerce behavior data from multi category store” by{' '}
        <a href={REES46_SITE} target="_blank" rel="noreferrer">
          REES46 Marketing Platform
        </a>{' '}
        (collected by the Open CDP project), from{' '}
        <a href={DATASET_PAGE} target="_blank" rel="noreferrer">
          the dataset page
        </a>
        . Please credit REES46 and the dataset page wherever you use it. Each month is a 1–3 GB download.
      </p>
      {picker.element}
    </section>
  );
}

function ProgressLine({ progress: p }: { progress: DownloadProgress }) {
  const total = p.totalBytes ?? undefined;
  return (
    <div className="row download-progress">
      <progress aria-label="Download progress" value={p.bytes} max={total} />
      <span>
        {formatBytes(p.bytes)}
        {total !== undefined && ` of ${formatBytes(total)}`}
        {p.state === 'downloading' && ` · ${formatBytes(Math.round(p.bytesPerSecond))}/s`}
        {p.state === 'downloading' && p.etaSeconds !== null && ` · ${formatDuration(p.etaSeconds)} left`}
        {p.state === 'cancelled' && ' · cancelled; Download resumes from here'}
      </span>
    </div>
  );
}

/** Joins with the separator the folder already uses, so Windows paths stay Windows paths. */
function pathIn(folder: string, name: string): string {
  const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return `${folder.replace(/[\\/]+$/, '')}${separator}${name}`;
}
