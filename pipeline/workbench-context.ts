import type { PathPolicy } from './app/path-policy';
import type { SettingsStore } from './app/settings-store';
import type { BrokerService } from './broker/service';
import type { StreamService } from './stream/stream-service';
import type { SecretStore } from './sinks/postgres/secrets';
import type { CallName, CallResponse, EventName, EventPayload, ParsedRequest, Transport } from './contract';
import type { z } from 'zod';

export interface WorkbenchOptions {
  transport: z.infer<typeof Transport>;
  /** Where settings and other per-user state live (Electron: userData; CLI: ~/.config/clickpulse). */
  configDir: string;
  /** A lake folder chosen on the command line; wins over the persisted setting. */
  lakeDir?: string;
  /** Where the embedded broker keeps its logs (default: <configDir>/broker). */
  brokerDataDir?: string;
  /** Folder holding the bundled sample dataset and icons. */
  resourcesDir: string;
  version: string;
  /** The OS keychain (desktop app: Electron safeStorage, see main/secret-store.ts); absent in CLI and browser mode. */
  secrets?: SecretStore;
}

/** What a domain's handlers may use: the options, settings and the event stream. Nothing transport-specific. */
export interface WorkbenchContext {
  readonly options: WorkbenchOptions;
  readonly settings: SettingsStore;
  /** The embedded broker (in its worker thread); replay and stream call ensureRunning(). */
  readonly broker: BrokerService;
  /** The lake consumer (topic → Bronze → Silver → Gold); replay --lake waits on it. */
  readonly stream: StreamService;
  /** Which paths calls may use, and what the user chose this session (the picker records and grants). */
  readonly paths: PathPolicy;
  lakeDir(): Promise<string>;
  emit<K extends EventName>(name: K, payload: EventPayload<K>): void;
  /** Follows every event (what the run history records); returns the unsubscribe. */
  subscribe(listener: (name: EventName, payload: unknown) => void): () => void;
  /** Registers clean-up (stop a broker, close DuckDB) that Workbench.close() runs. */
  onClose(dispose: () => Promise<void> | void): void;
}

export type Handler<K extends CallName> = (
  request: ParsedRequest<K>,
) => Promise<CallResponse<K>> | CallResponse<K>;
export type HandlerMap<K extends CallName> = { [P in K]: Handler<P> };
