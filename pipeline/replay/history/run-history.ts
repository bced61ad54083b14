import type {
  EventName,
  ReplayOptions,
  ReplayProgress,
  RunPoint,
  RunSeries,
  RunSummary,
  StreamStatus,
} from '../../contract';
import { judgePace } from './pace-check';
import type { RunStore } from './run-store';
import { RunSeriesBuffer } from './series';

const SAMPLE_EVERY_MS = 1000;
const SAVE_EVERY_MS = 10_000;
/** After the replay ends the lake is still catching up: the series goes on until it has, or this long. */
const TAIL_MS = 60_000;
const FINAL: ReplayProgress['state'][] = ['stopped', 'completed', 'failed'];

interface LiveRun {
  progress: ReplayProgress;
  options: Pick<ReplayOptions, 'rate' | 'speed'> | null;
  series: RunSeriesBuffer;
  lastAt: number;
  lastSent: number;
  firstEventMs: number | null;
  lastEventMs: number | null;
  /** When the first and the latest event times were seen (wall clock). */
  firstSeenAt: number;
  lastSeenAt: number;
  stageCounts: Record<string, number>;
  lakeAtStart: RunSummary['lakeAtStart'];
  endedAt: number | null;
  savedAt: number;
  done: boolean;
}

/**
 * The Workbench's memory of replay runs: it follows replay.progress and stream.status events, samples them
 * once a second into each run's series (bounded, see series.ts), and keeps runs on disk (run-store.ts), so
 * the Monitor draws the whole run after navigating away, a reload or a restart.
 */
export class RunHistory {
  private live: LiveRun | null = null;
  private stream: StreamStatus | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: RunStore,
    private readonly now: () => number = Date.now,
  ) {}

  readonly onEvent = (name: EventName, payload: unknown): void => {
    if (name === 'replay.progress') this.onProgress(payload as ReplayProgress);
    else if (name === 'stream.status') this.stream = payload as StreamStatus;
  };

  /** The options a run was started with (its target pace); progress events do not carry them. */
  begin(runId: string, options: ReplayOptions): void {
    if (this.live?.progress.runId === runId) this.live.options = { rate: options.rate, speed: options.speed };
  }

  private onProgress(p: ReplayProgress): void {
    let live = this.live;
    if (!live || live.progress.runId !== p.runId) {
      if (live && !live.done) this.finishTail(live);
      live = this.startRun(p);
    }
    live.progress = p;
    if (p.currentEventTime) {
      const ms = Date.parse(p.currentEventTime);
      if (live.firstEventMs === null) {
        live.firstEventMs = ms;
        live.firstSeenAt = this.now();
      }
      live.lastEventMs = ms;
      live.lastSeenAt = this.now();
    }
    if (FINAL.includes(p.state) && live.endedAt === null) {
      live.endedAt = this.now();
      this.addPoint(live, live.endedAt);
      this.save(live);
    }
  }

  private startRun(p: ReplayProgress): LiveRun {
    const at = this.now();
    const s = this.streamOn(p.topic);
    const live: LiveRun = {
      progress: p,
      options: null,
      series: new RunSeriesBuffer(SAMPLE_EVERY_MS),
      lastAt: at,
      lastSent: p.rowsSent,
      firstEventMs: null,
      lastEventMs: null,
      firstSeenAt: 0,
      lastSeenAt: 0,
      stageCounts: {},
      lakeAtStart: s ? { bronzeRows: s.bronze.rows, silverRows: s.silver.rows } : null,
      endedAt: null,
      savedAt: at,
      done: false,
    };
    live.series.add(this.point(live, at));
    this.live = live;
    this.timer ??= setInterval(() => this.sample(), SAMPLE_EVERY_MS);
    this.timer.unref();
    return live;
  }

  private streamOn(topic: string): StreamStatus | null {
    const s = this.stream;
    return s && s.topic === topic && (s.state === 'running' || s.state === 'starting') ? s : null;
  }

  private point(live: LiveRun, at: number): RunPoint {
    const seconds = (at - live.lastAt) / 1000;
    const sent = live.progress.rowsSent;
    const s = this.streamOn(live.progress.topic);
    const since = Date.parse(live.progress.startedAt);
    // A flush from before this run tells nothing about it: the figures start afresh with the run.
    const fresh = (flushedAt: string | null, value: number | null) =>
      flushedAt !== null && Date.parse(flushedAt) >= since ? value : null;
    return {
      at,
      produced: seconds > 0 ? Math.max(0, sent - live.lastSent) / seconds : 0,
      bronze: s ? s.bronze.rowsPerSecond : null,
      silver: s ? s.silver.rowsPerSecond : null,
      lag: s ? s.partitions.reduce((n, p) => n + (p.lag ?? 0), 0) : null,
      bronzeFreshness: s ? fresh(s.bronze.lastFlushAt, s.freshness.bronzeSeconds) : null,
      goldFreshness: s ? fresh(s.gold.lastFlushAt, s.freshness.goldSeconds) : null,
    };
  }

  private addPoint(live: LiveRun, at: number): void {
    const point = this.point(live, at);
    live.series.add(point);
    live.lastAt = at;
    live.lastSent = live.progress.rowsSent;
  }

  private sample(): void {
    const live = this.live;
    if (!live || live.done) return this.stopTimer();
    const at = this.now();
    if (live.endedAt === null) {
      const s = this.streamOn(live.progress.topic);
      const stage = live.progress.heldBackByBronze
        ? 'bronze'
        : s?.bottleneck && s.bottleneck !== 'producer'
          ? s.bottleneck
          : 'replay';
      live.stageCounts[stage] = (live.stageCounts[stage] ?? 0) + 1;
    }
    if (live.series.due(at)) this.addPoint(live, at);
    if (live.endedAt !== null) {
      const s = this.streamOn(live.progress.topic);
      const caughtUp = !s || (s.partitions.every((p) => !p.lag) && s.bronze.rowsPerSecond === 0);
      if (caughtUp || at - live.endedAt >= TAIL_MS) return this.finishTail(live);
    }
    if (at - live.savedAt >= SAVE_EVERY_MS) this.save(live);
  }

  private finishTail(live: LiveRun): void {
    live.done = true;
    this.save(live);
    if (live === this.live) this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private save(live: LiveRun): void {
    live.savedAt = this.now();
    try {
      this.store.save(this.seriesOf(live));
    } catch (error) {
      process.emitWarning(`Could not save the run history: ${String(error)}`);
    }
  }

  private summaryOf(live: LiveRun): RunSummary {
    const p = live.progress;
    const duration = p.elapsedSeconds;
    const verdict = judgePace({
      options: live.options,
      rowsSent: p.rowsSent,
      durationSeconds: duration,
      eventSeconds:
        live.firstEventMs !== null && live.lastEventMs !== null
          ? (live.lastEventMs - live.firstEventMs) / 1000
          : null,
      eventWallSeconds: live.firstEventMs !== null ? (live.lastSeenAt - live.firstSeenAt) / 1000 : null,
      stageCounts: live.stageCounts,
      heldBackSeconds: p.heldBackSeconds ?? 0,
    });
    return {
      runId: p.runId,
      path: p.path,
      topic: p.topic,
      state: p.state,
      startedAt: p.startedAt,
      endedAt: live.endedAt === null ? null : new Date(live.endedAt).toISOString(),
      rowsSent: p.rowsSent,
      rowsRejected: p.rowsRejected,
      resumedFrom: p.resumedFrom,
      durationSeconds: duration,
      averageRate: duration > 0 ? p.rowsSent / duration : 0,
      ...verdict,
      lakeAtStart: live.lakeAtStart,
    };
  }

  private seriesOf(live: LiveRun): RunSeries {
    return { run: this.summaryOf(live), points: live.series.all() };
  }

  series(runId?: string): RunSeries | null {
    const live = this.live;
    if (live && (runId === undefined || runId === live.progress.runId)) return this.seriesOf(live);
    if (runId !== undefined) return this.store.get(runId);
    return this.store.list()[0] ?? null;
  }

  list(limit: number): RunSummary[] {
    const live = this.live;
    const stored = this.store
      .list()
      .map((s) => s.run)
      .filter((r) => r.runId !== live?.progress.runId);
    return (live ? [this.summaryOf(live), ...stored] : stored).slice(0, limit);
  }

  close(): void {
    const live = this.live;
    if (live && !live.done) this.finishTail(live);
    this.stopTimer();
  }
}
