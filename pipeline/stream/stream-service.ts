import { ApiError, type StreamOptions, type StreamStatus } from '../contract';
import { kafkaClient, resolveTarget } from '../kafka';
import type { WorkbenchContext } from '../workbench-context';
import { LakeStreamHost } from './host/lake-host';

const EMIT_EVERY_MS = 250;

/** The Workbench's lake consumer: one at a time, into the current lake folder. */
export class StreamService {
  private stream: LakeStreamHost | null = null;
  private readonly advanceListeners = new Set<(topic: string, positions: Map<number, number>) => void>();
  private lastEmit = 0;
  private lastState: string | null = null;
  private pending: StreamStatus | null = null;
  private trailing: NodeJS.Timeout | null = null;

  constructor(private readonly ctx: WorkbenchContext) {
    ctx.onClose(async () => {
      await this.stream?.stop();
      this.flushPending();
    });
  }

  async start(options: StreamOptions): Promise<StreamStatus> {
    const running = this.stream?.current();
    if (running && ['starting', 'running', 'stopping'].includes(running.state)) {
      if (running.topic === options.topic && running.lake === (await this.ctx.lakeDir())) return running;
      throw new ApiError({
        code: 'CONFLICT',
        message: `The lake consumer is already running (topic ${running.topic} into ${running.lake}): stop it first.`,
      });
    }
    // A failed or stopped consumer's thread is ended before a new one starts.
    await this.stream?.stop().catch(() => undefined);
    const target = await resolveTarget(options.brokers, () => this.ctx.broker.ensureRunning());
    // The consumer runs on its own thread; this one only relays its status and Bronze's position.
    const stream = new LakeStreamHost(
      { lake: await this.ctx.lakeDir(), options, target },
      (s) => this.emit(s),
      (positions) => {
        for (const l of this.advanceListeners) l(options.topic, positions);
      },
    );
    this.stream = stream;
    try {
      return await stream.start();
    } catch (error) {
      throw new ApiError({ code: 'FAILED', message: error instanceof Error ? error.message : String(error) });
    }
  }

  /** At most one event per EMIT_EVERY_MS, state changes at once, and the latest status always last. */
  private emit(status: StreamStatus): void {
    this.pending = status;
    const wait = this.lastEmit + EMIT_EVERY_MS - Date.now();
    if (status.state !== this.lastState || wait <= 0) return this.flushPending();
    this.trailing ??= setTimeout(() => this.flushPending(), wait);
  }

  private flushPending(): void {
    if (this.trailing) clearTimeout(this.trailing);
    this.trailing = null;
    const status = this.pending;
    if (!status) return;
    this.pending = null;
    this.lastEmit = Date.now();
    this.lastState = status.state;
    this.ctx.emit('stream.status', status);
  }

  /**
   * Bronze's position on `topic` (partition → next offset not yet taken in), or null when the lake consumer
   * is not running on that topic: the replay then runs as a plain producer. Pushed by the consumer's
   * thread after every fetched batch and Bronze commit, so reading it is synchronous and cheap.
   */
  bronzePosition(topic: string): Map<number, number> | null {
    const s = this.stream;
    const state = s?.current();
    if (!s || state?.topic !== topic || !['starting', 'running'].includes(state.state)) return null;
    return s.bronzePosition();
  }

  /** Pauses and resumes the lake consumer's fetching (Bronze stalls meanwhile). */
  pause(): void {
    this.stream?.pause();
  }

  resume(): void {
    this.stream?.resume();
  }

  async stop(): Promise<StreamStatus> {
    if (!this.stream) throw new ApiError({ code: 'CONFLICT', message: 'The lake consumer is not running.' });
    return this.stream.stop();
  }

  status(): StreamStatus {
    if (!this.stream) {
      throw new ApiError({ code: 'NOT_FOUND', message: 'The lake consumer has not been started.' });
    }
    return this.stream.current();
  }

  /** Calls `listener` whenever Bronze's position moves, with the topic and its positions; returns the unsubscribe. */
  onBronzeAdvance(listener: (topic: string, positions: Map<number, number>) => void): () => void {
    this.advanceListeners.add(listener);
    return () => this.advanceListeners.delete(listener);
  }

  /** Waits until the lake holds everything now on the topic (CLI: replay --lake). */
  async caughtUp(): Promise<StreamStatus> {
    const stream = this.stream;
    if (!stream) throw new ApiError({ code: 'CONFLICT', message: 'The lake consumer is not running.' });
    const admin = kafkaClient(stream.target, 'clickpulse-lake-admin').admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(stream.options.topic);
      await stream.caughtUp(new Map(offsets.map((o) => [o.partition, Number(o.high)])));
    } finally {
      await admin.disconnect();
    }
    return stream.current();
  }
}
