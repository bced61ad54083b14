import { EventEmitter } from 'node:events';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { appHandlers } from './app/handlers';
import { checkChosen, checkPaths, noteWrites } from './app/path-checks';
import { checkPageSecrets } from './app/page-secrets';
import { PathPolicy } from './app/path-policy';
import { SettingsStore } from './app/settings-store';
import { brokerHandlers } from './broker/handlers';
import { BrokerService } from './broker/service';
import { StreamService } from './stream/stream-service';
import { datasetHandlers, defaultDownloadDir } from './dataset/handlers';
import { exploreHandlers } from './explore/handlers';
import { dashboardHandlers } from './dashboards/handlers';
import { exportHandlers } from './export/handlers';
import { lakeHandlers } from './lake/handlers';
import { queryHandlers } from './query/handlers';
import { replayHandlers } from './replay/handlers';
import { sinkHandlers } from './sinks/handlers';
import { topicToolHandlers } from './topics/handlers';
import {
  ApiError,
  calls,
  isCallName,
  validationError,
  type CallName,
  type CallResponse,
  type Envelope,
  type EventName,
  type EventPayload,
  type ParsedRequest,
} from './contract';
import type { HandlerMap, WorkbenchContext, WorkbenchOptions } from './workbench-context';

export type { WorkbenchOptions } from './workbench-context';

export type EventListener = (name: EventName, payload: unknown) => void;

/**
 * The one service behind every transport: Electron IPC, the loopback browser bridge and the CLI all call it,
 * so each behaviour has exactly one implementation.
 */
export class Workbench implements WorkbenchContext {
  readonly settings: SettingsStore;
  readonly broker: BrokerService;
  readonly stream: StreamService;
  /** Which paths calls may read and write (see app/path-policy.ts). */
  readonly paths: PathPolicy;
  private readonly emitter = new EventEmitter();
  private readonly handlers: HandlerMap<CallName>;
  private readonly disposers: (() => Promise<void> | void)[] = [];

  constructor(readonly options: WorkbenchOptions) {
    this.settings = new SettingsStore(options.configDir);
    this.paths = new PathPolicy({
      strict: options.transport === 'web',
      chooser: options.transport === 'electron' ? 'dialog' : options.transport === 'web' ? 'picker' : null,
      lakeDir: () => this.lakeDir(),
      appDirs: () => [
        options.configDir,
        options.resourcesDir,
        defaultDownloadDir(),
        ...(options.brokerDataDir ? [options.brokerDataDir] : []),
      ],
    });
    this.emitter.setMaxListeners(0);
    this.broker = new BrokerService(this);
    this.stream = new StreamService(this);
    this.handlers = {
      ...appHandlers(this),
      ...brokerHandlers(this),
      ...replayHandlers(this),
      ...datasetHandlers(this),
      ...lakeHandlers(this),
      ...queryHandlers(this),
      ...exportHandlers(this),
      ...sinkHandlers(this),
      ...topicToolHandlers(this),
      ...exploreHandlers(this),
      ...dashboardHandlers(this),
    };
  }

  async lakeDir(): Promise<string> {
    if (this.options.lakeDir) return resolve(this.options.lakeDir);
    const saved = (await this.settings.get()).lakeDir;
    return saved ? resolve(saved) : defaultLakeDir();
  }

  /**
   * Typed, already-validated call: what in-process code (CLI, tests) uses. Paths are checked first; a call
   * `fromPage` (dispatch: a window or the browser bridge) may use only paths the user chose this session,
   * and name only the password variables meant for it (page-secrets.ts).
   */
  async call<K extends CallName>(
    name: K,
    request: ParsedRequest<K>,
    fromPage = false,
  ): Promise<CallResponse<K>> {
    const handler = this.handlers[name] as (
      r: ParsedRequest<K>,
    ) => Promise<CallResponse<K>> | CallResponse<K>;
    await checkPaths(this.paths, name, request);
    if (fromPage) {
      await checkChosen(this.paths, name, request);
      checkPageSecrets(this.paths, name, request);
    }
    const response = await handler(request);
    await noteWrites(this.paths, name, request);
    return response;
  }

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    this.emitter.emit('event', name, payload);
  }

  subscribe(listener: EventListener): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  onClose(dispose: () => Promise<void> | void): void {
    this.disposers.push(dispose);
  }

  /**
   * Stops every domain's running work (last registered first), then drops listeners. One domain failing to
   * stop does not skip the others: a lake or replay thread left running would be torn down by the process's
   * exit, and ending a thread while DuckDB works in it aborts the whole process. The first error is thrown
   * once all are done.
   */
  async close(): Promise<void> {
    const errors: unknown[] = [];
    for (const dispose of this.disposers.splice(0).reverse()) {
      try {
        await dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    this.emitter.removeAllListeners();
    if (errors.length) throw errors[0];
  }
}

/**
 * The untrusted entry point the transports use: the name and payload come from outside (a renderer, a socket),
 * so both are checked against the contract before any handler runs.
 */
export async function dispatch(workbench: Workbench, name: unknown, payload: unknown): Promise<Envelope> {
  try {
    if (!isCallName(name)) {
      throw new ApiError({ code: 'UNKNOWN_CALL', message: `Unknown call ${JSON.stringify(name)}` });
    }
    const spec = calls[name];
    const parsed = spec.request.safeParse(payload ?? {});
    if (!parsed.success) throw validationError(`request for ${name}`, parsed.error);
    const value = await workbench.call(name, parsed.data as never, true);
    return { ok: true, value };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, error: error.toData() };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'FAILED', message } };
  }
}

export function defaultLakeDir(): string {
  return join(homedir(), 'ClickPulse', 'lake');
}

export function defaultConfigDir(): string {
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'clickpulse');
}
