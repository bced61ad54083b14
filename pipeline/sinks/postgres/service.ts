import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../contract/envelope';
import {
  SinkStartOptions,
  type ConnectionTest,
  type PostgresTarget,
  type SinkStatus,
} from '../../contract/sink';
import type { z } from 'zod';
import { testConnection } from './connect';
import { passwordId, type SecretStore } from './secrets';
import { PostgresSink } from './sink';
import { resolveTarget, withoutPassword, type ResolvedTarget } from './target';

type StartOptions = z.output<typeof SinkStartOptions>;

export interface SinkServiceDeps {
  lakeDir(): Promise<string>;
  configDir: string;
  secrets?: SecretStore;
  emit(status: SinkStatus): void;
}

/**
 * The PostgreSQL sink as the Workbench offers it: one running sink at a time, its last target remembered in
 * <configDir>/sinks/postgres.json without any password.
 */
export class SinkService {
  private sink: PostgresSink | null = null;
  private idle: SinkStatus | null = null;

  constructor(private readonly deps: SinkServiceDeps) {}

  async resolve(target: z.input<typeof PostgresTarget>): Promise<ResolvedTarget> {
    const secrets = this.deps.secrets;
    return resolveTarget(target, secrets ? { lookup: (t) => secrets.get(passwordId(t)) } : {});
  }

  async test(target: z.input<typeof PostgresTarget>): Promise<ConnectionTest> {
    return testConnection(await this.resolve(target));
  }

  async start(options: StartOptions): Promise<SinkStatus> {
    if (this.sink) {
      throw new ApiError({
        code: 'CONFLICT',
        message: 'The PostgreSQL sink is already running; stop it first.',
      });
    }
    const sink = await this.create(options, (s) => this.deps.emit(s));
    await this.saveConfig(options);
    this.sink = sink;
    sink.start();
    return sink.current();
  }

  async stop(): Promise<SinkStatus> {
    const sink = this.sink;
    this.sink = null;
    if (!sink) return this.status();
    this.idle = await sink.stop();
    return this.idle;
  }

  status(): SinkStatus {
    return this.sink?.current() ?? this.idle ?? stoppedStatus();
  }

  /** One pass now (the CLI's --once): returns after every changed table is applied, or throws why not. */
  async syncOnce(options: StartOptions): Promise<SinkStatus> {
    const sink = await this.create(options);
    try {
      await sink.pass();
      return sink.current();
    } finally {
      await sink.close();
    }
  }

  async rebuild(options: StartOptions): Promise<Record<string, number>> {
    const running = this.sink;
    if (running) await this.stop();
    const sink = await this.create(options);
    try {
      return await sink.rebuild();
    } finally {
      await sink.close();
      if (running) await this.start(options);
    }
  }

  async savePassword(target: z.input<typeof PostgresTarget>, password: string): Promise<void> {
    if (!this.deps.secrets) {
      throw new ApiError({
        code: 'FAILED',
        message:
          'No keychain here (CLI or browser mode): give the password in an environment variable (PGPASSWORD or passwordEnv).',
      });
    }
    await this.deps.secrets.set(passwordId(await this.resolve(target)), password);
  }

  async config(): Promise<StartOptions | null> {
    try {
      const parsed = SinkStartOptions.safeParse(JSON.parse(await readFile(this.configFile(), 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  private async create(options: StartOptions, onStatus?: (s: SinkStatus) => void): Promise<PostgresSink> {
    return new PostgresSink({
      lake: await this.deps.lakeDir(),
      target: await this.resolve(options.target),
      silver: options.silver,
      pollMs: options.pollMs,
      ...(onStatus ? { onStatus } : {}),
    });
  }

  private configFile(): string {
    return join(this.deps.configDir, 'sinks', 'postgres.json');
  }

  private async saveConfig(options: StartOptions): Promise<void> {
    const file = this.configFile();
    await mkdir(join(this.deps.configDir, 'sinks'), { recursive: true });
    const safe = { ...options, target: withoutPassword(options.target) };
    await writeFile(`${file}.tmp`, `${JSON.stringify(safe, null, 2)}\n`, { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }
}

export function stoppedStatus(): SinkStatus {
  return {
    state: 'stopped',
    target: null,
    schema: null,
    silver: false,
    startedAt: null,
    lastSyncAt: null,
    lagSeconds: null,
    latencyP50: null,
    latencyP95: null,
    rowsCopied: 0,
    tables: [],
    lastError: null,
    retryAt: null,
  };
}
