import type { RunSummary, PipelineStage, ReplayProgress } from '../../../../pipeline/contract';
import { formatDuration } from '../../lib/format';

/**
 * Share of the replay done, 0..1, or null while unknown: rows sent against the file's estimated rows
 * (bytesRead scales that to the file size). A finished run is whole even when the estimate was short.
 */
export function progressRatio(p: Pick<ReplayProgress, 'state' | 'bytesRead' | 'totalBytes'>): number | null {
  if (p.state === 'completed') return 1;
  if (p.totalBytes <= 0 || p.bytesRead <= 0) return isActive(p.state) ? null : 0;
  return Math.min(1, Math.max(0, p.bytesRead / p.totalBytes));
}

/** "1 m 05 s left" while running; "done" / "paused" / "–" when an estimate means nothing. */
export function formatEta(p: Pick<ReplayProgress, 'state' | 'etaSeconds'>): string {
  switch (p.state) {
    case 'completed':
      return 'done';
    case 'paused':
      return 'paused';
    case 'stopped':
    case 'failed':
      return '–';
    default:
      if (p.etaSeconds === null || !Number.isFinite(p.etaSeconds)) return 'estimating…';
      // The row estimate can run out a little before the file does.
      if (p.etaSeconds < 0.5) return 'almost done';
      return `${formatDuration(p.etaSeconds)} left`;
  }
}

export function isActive(state: ReplayProgress['state']): boolean {
  return state === 'starting' || state === 'running' || state === 'paused' || state === 'stopping';
}

export interface RatePoint {
  /** Milliseconds since the epoch. */
  at: number;
  produced: number | null;
  consumed: number | null;
}

/** Appends a point and keeps the newest `max`, so a long run's chart costs the same as a short one's. */
export function appendPoint(points: readonly RatePoint[], point: RatePoint, max = 120): RatePoint[] {
  const next = points.length >= max ? points.slice(points.length - max + 1) : points.slice();
  next.push(point);
  return next;
}

/** Seconds between now and an event time, i.e. how far behind real time the replayed data is. */
export function formatFreshness(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  return seconds < 1 ? '< 1 s' : formatDuration(seconds);
}

/** True when a key press happened in a place where the user types (shortcuts must not steal it). */
export function isTypingTarget(target: unknown): boolean {
  // Structural, not instanceof HTMLElement: the unit tests run without a DOM.
  const el = target as { tagName?: unknown; isContentEditable?: boolean } | null;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName.toLowerCase();
  return tag === 'input' || tag === 'textarea' || tag === 'select' || el.isContentEditable === true;
}

const STAGE_NAMES: Record<PipelineStage, string> = {
  producer: 'the producer (the lake keeps up)',
  broker: 'the broker',
  bronze: 'Bronze (Kafka lag is growing)',
  silver: 'Silver (Bronze files wait for it)',
  gold: 'Gold (a refresh is waiting)',
};

/** The stage holding the pipeline back, in words for the Monitor. */
export function describeBottleneck(stage: PipelineStage | null | undefined): string {
  return stage ? STAGE_NAMES[stage] : '–';
}

/** How long after the last replay.series call the Monitor asks again (see useMonitorData). */
export function seriesEveryMs(
  progress: Pick<ReplayProgress, 'runId' | 'state'> | null | undefined,
  series: { run: Pick<RunSummary, 'runId' | 'state' | 'endedAt'> } | null | undefined,
  now: number,
  timing: { liveMs: number; idleMs: number; tailMs: number },
): number {
  const replaying = progress ? isActive(progress.state) : false;
  const ended = series?.run.endedAt ? Date.parse(series.run.endedAt) : null;
  const tail = ended !== null && now - ended < timing.tailMs;
  // A summary fetched while the run went on is stale once it ended (its average said 0 after a 1 s run).
  const stale =
    progress && series && (progress.runId !== series.run.runId || progress.state !== series.run.state);
  return replaying || tail || stale || series === undefined ? timing.liveMs : timing.idleMs;
}
