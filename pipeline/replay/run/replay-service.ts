import { join } from 'node:path';
import type { ReplayOptions, ReplayProgress } from '../../contract';
import { ApiError } from '../../contract';
import type { WorkbenchContext } from '../../workbench-context';
import { resolveTarget } from '../../kafka';
import { ReplayRunHost } from '../host/replay-host';

/**
 * The Workbench's replay: one run at a time, onto the embedded broker unless external brokers are given,
 * each on its own worker thread (reading, encoding and producing never run on the Workbench's thread).
 */
export class ReplayService {
  private run: ReplayRunHost | null = null;
  private readonly checkpointsDir: string;

  constructor(private readonly ctx: WorkbenchContext) {
    this.checkpointsDir = join(ctx.options.configDir, 'replay-checkpoints');
    ctx.onClose(async () => {
      await this.run?.stop();
    });
  }

  async start(options: ReplayOptions): Promise<ReplayProgress> {
    const current = this.run?.progress();
    if (current && ['starting', 'running', 'paused', 'stopping'].includes(current.state)) {
      throw new ApiError({
        code: 'CONFLICT',
        message: `A replay of ${current.path} is already ${current.state}: stop it first.`,
      });
    }
    const target = await resolveTarget(options.brokers, () => this.ctx.broker.ensureRunning());
    const run = new ReplayRunHost(options, target, {
      checkpointsDir: this.checkpointsDir,
      onProgress: (p) => this.ctx.emit('replay.progress', p),
      bronzePosition: (topic) => this.ctx.stream.bronzePosition(topic),
    });
    this.run = run;
    // File-level problems (missing file, unmapped required fields, unreachable broker) fail the call itself.
    const first = await Promise.race([run.finished, waitUntilRunning(run)]);
    if (first.state === 'failed')
      throw new ApiError({ code: 'VALIDATION', message: first.error ?? 'The replay failed.' });
    return first;
  }

  pause(): ReplayProgress {
    return this.current((run) => run.pause());
  }

  resume(): ReplayProgress {
    return this.current((run) => run.resume());
  }

  async stop(): Promise<ReplayProgress> {
    if (!this.run) throw new ApiError({ code: 'CONFLICT', message: 'No replay is running.' });
    return this.run.stop();
  }

  status(): ReplayProgress | null {
    return this.run?.progress() ?? null;
  }

  /** Resolves when the current run ends (CLI and tests). */
  finished(): Promise<ReplayProgress> | null {
    return this.run?.finished ?? null;
  }

  private current(act: (run: ReplayRunHost) => void): ReplayProgress {
    if (!this.run) throw new ApiError({ code: 'CONFLICT', message: 'No replay is running.' });
    act(this.run);
    return this.run.progress();
  }
}

function waitUntilRunning(run: ReplayRunHost): Promise<ReplayProgress> {
  return new Promise((resolve) => {
    const check = () => {
      const p = run.progress();
      if (p.state !== 'starting') resolve(p);
      else setTimeout(check, 20);
    };
    check();
  });
}
