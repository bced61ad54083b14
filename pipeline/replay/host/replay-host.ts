import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import type { ReplayOptions, ReplayProgress } from '../../contract';
import type { KafkaTarget } from '../../kafka';
import { spawnPipelineWorker } from '../../worker-thread';
import type { ReplayRequest, ReplayWorkerMessage } from './messages';

/** Bronze's position is pushed to the thread this often (its hold loop polls at the same pace). */
const POSITION_EVERY_MS = 50;

export interface ReplayHostDeps {
  checkpointsDir: string;
  onProgress(progress: ReplayProgress): void;
  /** Bronze's position on a topic, or null when no lake consumer runs on it (see RunDeps). */
  bronzePosition?(topic: string): Map<number, number> | null;
}

/**
 * A ReplayRun on its own worker thread, with the surface the ReplayService uses: progress, pause, resume,
 * stop and finished. The thread ends once the run has finished, or failed, or the thread itself died (the
 * run then finishes as failed, with the reason).
 */
export class ReplayRunHost {
  readonly id = randomUUID();
  readonly finished: Promise<ReplayProgress>;
  /** Resolves once the thread has ended (it is terminated as soon as the run finished). */
  readonly exited: Promise<void>;
  private latest: ReplayProgress;
  private readonly worker: Worker;
  private readonly timer: NodeJS.Timeout | null = null;

  constructor(
    readonly options: ReplayOptions,
    readonly target: KafkaTarget,
    private readonly deps: ReplayHostDeps,
  ) {
    this.latest = startingProgress(this.id, options, target);
    this.worker = spawnPipelineWorker('replay-worker', import.meta.url, 'replay-worker.ts');
    const worker = this.worker;
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    let settle: (p: ReplayProgress) => void = () => undefined;
    this.finished = new Promise((resolve) => (settle = resolve));
    const end = (progress: ReplayProgress) => {
      if (this.timer) clearInterval(this.timer);
      this.latest = progress;
      settle(progress);
      void this.worker.terminate();
    };
    this.worker.on('message', (m: ReplayWorkerMessage) => {
      this.latest = m.progress;
      deps.onProgress(m.progress);
      if (m.type === 'finished') end(m.progress);
    });
    const died = (why: string) => {
      const failed: ReplayProgress = { ...this.latest, state: 'failed', error: why };
      deps.onProgress(failed);
      end(failed);
    };
    this.worker.on('error', (err) => died(`The replay's thread failed: ${err.message}`));
    this.worker.on('exit', () => {
      if (!['completed', 'stopped', 'failed'].includes(this.latest.state))
        died("The replay's thread exited.");
    });
    const position = deps.bronzePosition;
    this.post({
      op: 'start',
      setup: { runId: this.id, options, target, checkpointsDir: deps.checkpointsDir, throttled: !!position },
    });
    if (position) {
      const push = () => {
        const p = position(options.topic);
        this.post({ op: 'position', positions: p ? [...p] : null });
      };
      push();
      this.timer = setInterval(push, POSITION_EVERY_MS);
      this.timer.unref();
    }
  }

  progress(): ReplayProgress {
    return this.latest;
  }

  /** The state changes here at once, as ReplayRun's does; the thread's next progress confirms it. */
  pause(): void {
    if (this.latest.state === 'running') this.latest = { ...this.latest, state: 'paused' };
    this.post({ op: 'pause' });
  }

  resume(): void {
    if (this.latest.state === 'paused') this.latest = { ...this.latest, state: 'running' };
    this.post({ op: 'resume' });
  }

  stop(): Promise<ReplayProgress> {
    this.post({ op: 'stop' });
    return this.finished;
  }

  private post(req: ReplayRequest): void {
    // After the thread ended there is nothing left to tell.
    try {
      this.worker.postMessage(req);
    } catch {
      /* ended */
    }
  }
}

function startingProgress(runId: string, options: ReplayOptions, target: KafkaTarget): ReplayProgress {
  return {
    runId,
    state: 'starting',
    path: options.path,
    topic: options.topic,
    bootstrap: target.bootstrap,
    rowsRead: 0,
    rowsSent: 0,
    rowsRejected: 0,
    resumedFrom: 0,
    bytesRead: 0,
    totalBytes: 0,
    eventsPerSecond: 0,
    etaSeconds: null,
    currentEventTime: null,
    startedAt: new Date().toISOString(),
    elapsedSeconds: 0,
    rejectReasons: [],
    warnings: [],
    heldBackByBronze: false,
    heldBackSeconds: 0,
    error: null,
  };
}
