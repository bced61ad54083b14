import { ApiError, type StreamOptions, type StreamStatus } from '../contract';
import { kafkaClient, type KafkaTarget } from '../replay/run/kafka-target';
import type { WorkbenchContext } from '../workbench-context';
import { LakeStream } from './lake-stream';

const EMIT_EVERY_MS = 250;

/** The Workbench's lake consumer: one at a time, into the current lake folder. */
export class StreamService {
  private stream: LakeStream | null = null;
  private lastEmit = 0;
  private lastState: string | null = null;

  constructor(private readonly ctx: WorkbenchContext) {
    ctx.onClose(async () => {
      await this.stream?.stop();
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
    const target: KafkaTarget = options.brokers
      ? {
          bootstrap: options.brokers.bootstrap,
          ssl: options.brokers.ssl,
          ...(options.brokers.sasl ? { sasl: options.brokers.sasl } : {}),
        }
      : { bootstrap: await this.ctx.broker.ensureRunning() };
    const stream = new LakeStream(await this.ctx.lakeDir(), options, target, (s) => this.emit(s));
    this.stream = stream;
    try {
      return await stream.start();
    } catch (error) {
      throw new ApiError({ code: 'FAILED', message: error instanceof Error ? error.message : String(error) });
    }
  }

  private emit(status: StreamStatus): void {
    const now = Date.now();
    if (status.state === this.lastState && now - this.lastEmit < EMIT_EVERY_MS) return;
    this.lastEmit = now;
    this.lastState = status.state;
    this.ctx.emit('stream.status', status);
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
