import type { DownloadProgress, DownloadState } from '../contract/dataset';

/**
 * Turns the raw byte count of a download into what people want to see (rate, ETA), at most every
 * `intervalMs` so that a fast transfer does not flood the event stream or the terminal.
 */
export class ProgressReporter {
  private readonly samples: { t: number; bytes: number }[] = [];
  private lastReport = Number.NEGATIVE_INFINITY;
  private trailing: NodeJS.Timeout | undefined;
  private latest = { bytes: 0, totalBytes: null as number | null };

  constructor(
    private readonly month: string,
    private readonly report: (progress: DownloadProgress) => void,
    private readonly intervalMs = 250,
    // The rate is averaged over the last few seconds: steady enough to read, quick to follow a change.
    private readonly windowMs = 5000,
  ) {}

  update(bytes: number, totalBytes: number | null, now = Date.now()): void {
    this.latest = { bytes, totalBytes };
    const wait = this.lastReport + this.intervalMs - now;
    if (wait <= 0) {
      this.reportNow(now);
    } else if (!this.trailing) {
      // Without this, the bytes of a burst followed by a stall would never be shown.
      this.trailing = setTimeout(() => this.reportNow(Date.now()), wait);
      this.trailing.unref();
    }
  }

  /** The last word, always reported: done, failed or cancelled. */
  finish(state: DownloadState, now = Date.now()): void {
    clearTimeout(this.trailing);
    this.trailing = undefined;
    this.report(this.measure(state, now));
  }

  private reportNow(now: number): void {
    clearTimeout(this.trailing);
    this.trailing = undefined;
    this.lastReport = now;
    this.report(this.measure('downloading', now));
  }

  private measure(state: DownloadState, now: number): DownloadProgress {
    const { bytes, totalBytes } = this.latest;
    this.samples.push({ t: now, bytes });
    while (this.samples.length > 2 && now - (this.samples[1]?.t ?? now) >= this.windowMs)
      this.samples.shift();
    const first = this.samples[0] ?? { t: now, bytes };
    const seconds = (now - first.t) / 1000;
    const bytesPerSecond = seconds > 0 ? Math.max(0, (bytes - first.bytes) / seconds) : 0;
    const etaSeconds =
      state === 'done'
        ? 0
        : totalBytes !== null && bytesPerSecond > 0
          ? Math.max(0, (totalBytes - bytes) / bytesPerSecond)
          : null;
    return { month: this.month, bytes, totalBytes, bytesPerSecond, etaSeconds, state };
  }
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** "2019-Oct  412.3 MB of 1.6 GB (25.1 %)  11.2 MB/s  ETA 1m 52s" — the CLI's progress line. */
export function progressLine(p: DownloadProgress): string {
  const of =
    p.totalBytes !== null
      ? ` of ${formatSize(p.totalBytes)} (${((100 * p.bytes) / Math.max(1, p.totalBytes)).toFixed(1)} %)`
      : '';
  const eta =
    p.etaSeconds !== null && p.state === 'downloading' ? `  ETA ${formatDuration(p.etaSeconds)}` : '';
  return `${p.month}  ${formatSize(p.bytes)}${of}  ${formatSize(Math.round(p.bytesPerSecond))}/s${eta}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}
