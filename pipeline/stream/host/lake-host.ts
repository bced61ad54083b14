import type { Worker } from 'node:worker_threads';
import type { StreamOptions, StreamStatus } from '../../contract';
import type { KafkaTarget } from '../../kafka';
import type { LakeRequest, LakeWorkerMessage, LakeWorkerSetup } from './messages';
import { spawnPipelineWorker } from '../../worker-thread';
import { emptyStreamStatus } from '../empty-status';

type Pending = { resolve: (v: StreamStatus | null) => void; reject: (e: Error) => void };
type Body = LakeRequest extends infer R ? (R extends LakeRequest ? Omit<R, 'id'> : never) : never;

/**
 * The lake consumer (LakeStream) on its own worker thread, with the same surface the StreamService uses:
 * start, stop, current, caughtUp, and Bronze's position per partition. The thread is terminated on stop
 * and whenever starting fails, so no caller can leave it running.
 */
export class LakeStreamHost {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exited = false;
  private status: StreamStatus;
  private positions = new Map<number, number>();
  private readonly worker: Worker;

  constructor(
    private readonly setup: LakeWorkerSetup,
    private readonly onStatus: (status: StreamStatus) => void,
    private readonly onPosition: (positions: Map<number, number>) => void = () => undefined,
  ) {
    this.status = emptyStreamStatus('starting', setup.lake, setup.options, setup.target.bootstrap);
    this.worker = spawnPipelineWorker('lake-worker', import.meta.url, 'lake-worker.ts');
    this.worker.on('message', (m: LakeWorkerMessage) => this.onMessage(m));
    this.worker.on('error', (err) => this.crashed(`The lake consumer's thread failed: ${err.message}`));
    this.worker.on('exit', () => this.crashed("The lake consumer's thread exited."));
  }

  get target(): KafkaTarget {
    return this.setup.target;
  }

  get options(): StreamOptions {
    return this.setup.options;
  }

  /** Whether the thread is alive (false once stopped, failed to start, or crashed). */
  get running(): boolean {
    return !this.exited;
  }

  current(): StreamStatus {
    return this.status;
  }

  /** The latest position the thread pushed (see LakeStream.bronzePosition). */
  bronzePosition(): Map<number, number> {
    return new Map(this.positions);
  }

  /** Stops fetching in the thread (Bronze stalls) until resume(). */
  pause(): void {
    void this.call({ op: 'pause' }).catch(() => undefined);
  }

  resume(): void {
    void this.call({ op: 'resume' }).catch(() => undefined);
  }

  async start(): Promise<StreamStatus> {
    try {
      return await this.call({ op: 'start', setup: this.setup });
    } catch (error) {
      await this.worker.terminate();
      throw error;
    }
  }

  async caughtUp(ends: Map<number, number>, timeoutMs = 600_000): Promise<void> {
    await this.call({ op: 'caughtUp', ends: [...ends], timeoutMs });
  }

  async stop(): Promise<StreamStatus> {
    if (this.exited) return this.status;
    try {
      return await this.call({ op: 'stop' });
    } finally {
      await this.worker.terminate();
    }
  }

  private call(body: Body): Promise<StreamStatus> {
    if (this.exited) return Promise.reject(new Error("The lake consumer's thread is not running."));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: (v) => resolve(v ?? this.status), reject });
      this.worker.postMessage({ ...body, id });
    });
  }

  private onMessage(m: LakeWorkerMessage): void {
    if (m.type === 'status') {
      this.status = m.status;
      this.onStatus(m.status);
      return;
    }
    if (m.type === 'position') {
      this.positions = new Map(m.positions);
      this.onPosition(this.positions);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(new Error(m.error));
  }

  private crashed(message: string): void {
    if (this.exited) return;
    this.exited = true;
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
    if (!['stopped', 'failed'].includes(this.status.state)) {
      this.status = { ...this.status, state: 'failed', lastError: message };
      this.onStatus(this.status);
    }
  }
}
