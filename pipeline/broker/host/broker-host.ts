import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type {
  MessagePage,
  MessageRange,
  ResetOffsetsRequest,
  ResetOffsetsResult,
} from '../../contract/broker';
import type { BrokerConfig } from '../config';
import type { BrokerLog } from '../connection';
import { PortInUseError } from '../port-in-use';
import type { AdminCall } from '../topic-admin';
import type { AdminValue, HostRequest, HostValue, Overview, Started, WorkerMessage } from './messages';

type Pending = { resolve: (v: HostValue) => void; reject: (e: Error) => void };
type Op = HostRequest extends infer R ? (R extends { op: infer O } ? O : never) : never;

/**
 * Runs a Broker in a worker thread and talks to it by messages. Built bundles ship the worker as
 * broker-worker.js next to themselves; from sources (tests, tsx) the TypeScript entry runs through tsx.
 */
export class BrokerHost {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exited = false;

  private constructor(
    private readonly worker: Worker,
    readonly address: { host: string; port: number },
    readonly security: { tls: boolean; saslMechanisms: string[] } = { tls: false, saslMechanisms: [] },
  ) {}

  static async start(config: BrokerConfig, log: BrokerLog = () => {}): Promise<BrokerHost> {
    const worker = spawnWorker();
    const host = new BrokerHost(worker, { host: config.host, port: config.port });
    worker.on('message', (m: WorkerMessage) => host.onMessage(m, log));
    worker.on('error', (err) => log('error', `broker thread failed: ${err.stack ?? err.message}`));
    worker.on('exit', () => host.onExit());
    try {
      const bound = (await host.request({ op: 'start', config })) as Started;
      host.address.port = bound.port;
      host.security.tls = bound.tls;
      host.security.saslMechanisms = bound.saslMechanisms;
      return host;
    } catch (err) {
      await worker.terminate();
      throw err;
    }
  }

  private onMessage(m: WorkerMessage, log: BrokerLog): void {
    if (m.type === 'log') return log(m.level, m.message);
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else if (m.error.name === 'PortInUseError') {
      p.reject(new PortInUseError(this.address.host, this.address.port, m.error.freePort ?? null));
    } else p.reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
  }

  private onExit(): void {
    this.exited = true;
    for (const p of this.pending.values()) p.reject(new Error('The broker thread exited.'));
    this.pending.clear();
  }

  private request(req: { op: Op } & Partial<HostRequest>): Promise<HostValue> {
    if (this.exited) return Promise.reject(new Error('The broker thread is not running.'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id });
    });
  }

  get running(): boolean {
    return !this.exited;
  }

  async overview(): Promise<Overview> {
    return (await this.request({ op: 'overview' })) as Overview;
  }

  async messages(range: MessageRange): Promise<MessagePage> {
    return (await this.request({ op: 'messages', range })) as MessagePage;
  }

  async resetOffsets(reset: ResetOffsetsRequest): Promise<ResetOffsetsResult> {
    return (await this.request({ op: 'resetOffsets', reset })) as ResetOffsetsResult;
  }

  async admin(call: AdminCall): Promise<AdminValue> {
    return (await this.request({ op: 'admin', call })) as AdminValue;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    try {
      await this.request({ op: 'stop' });
    } finally {
      await this.worker.terminate();
    }
  }
}

function spawnWorker(): Worker {
  const here = dirname(fileURLToPath(import.meta.url));
  // Bundlers may put this code in a chunk one folder below the entries. In the installed app the worker and
  // what it loads are unpacked beside app.asar (electron-builder.yml asarUnpack): start it from there, since
  // a worker thread's ES module loader reads real files, not the archive.
  const unpacked = here.replace(/\.asar(?=[\\/]|$)/, '.asar.unpacked');
  const built = [unpacked, join(unpacked, '..'), here, join(here, '..')]
    .map((dir) => join(dir, 'broker-worker.js'))
    .find((p) => existsSync(p));
  if (built) return new Worker(built);
  const source = join(here, 'worker-entry.ts');
  if (existsSync(source)) {
    // From sources (tests, tsx): the worker registers tsx's loader for itself, then loads the entry.
    const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
    const tsx = pathToFileURL(join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
    const entry = pathToFileURL(source).href;
    const boot = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(boot, { eval: true });
  }
  throw new Error(`The broker worker is missing: no broker-worker.js near ${here}, nor ${source}.`);
}
