import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type {
  AddPartitionsRequest,
  BrokerOverview,
  BrokerSecurityOptions,
  BrokerStatus,
  CreateTopicRequest,
  DeleteRecordsRequest,
  DeleteRecordsResult,
  TopicConfigRequest,
  TopicInfo,
  MessagePage,
  MessageRange,
  ResetOffsetsRequest,
  ResetOffsetsResult,
} from '../contract/broker';
import { ApiError } from '../contract/envelope';
import type { KafkaTarget } from '../kafka';
import type { WorkbenchContext } from '../workbench-context';
import { brokerConfig, brokerConfigProblem, DEFAULT_BROKER_PORT } from './config';
import { BrokerHost } from './host/broker-host';
import { PortInUseError } from './port-in-use';
import type { AdminCall } from './topic-admin';

export function defaultBrokerDataDir(configDir: string): string {
  return join(configDir, 'broker');
}

/** The Workbench's embedded broker: started and stopped on request, in its own thread. */
export class BrokerService {
  private host: BrokerHost | null = null;
  private status: BrokerStatus;
  private transition: Promise<unknown> = Promise.resolve();
  /** How the last explicit start asked the broker to listen; ensureRunning() starts it the same way. */
  private security: BrokerSecurityOptions | undefined;
  private tlsCertFile: string | null = null;
  /** With SASL on, the app's own replay and lake stream log in as this user, which exists only in memory. */
  private readonly internalUser = {
    name: 'clickpulse-internal',
    password: randomBytes(24).toString('base64'),
  };

  constructor(private readonly ctx: WorkbenchContext) {
    const dataDir = ctx.options.brokerDataDir ?? defaultBrokerDataDir(ctx.options.configDir);
    this.status = {
      state: 'stopped',
      host: '127.0.0.1',
      port: DEFAULT_BROKER_PORT,
      bootstrap: `127.0.0.1:${DEFAULT_BROKER_PORT}`,
      dataDir,
      startedAt: null,
      error: null,
      freePort: null,
      tls: false,
      saslMechanisms: [],
    };
    ctx.onClose(async () => {
      await this.stop();
    });
  }

  current(): BrokerStatus {
    return this.status;
  }

  private set(patch: Partial<BrokerStatus>): BrokerStatus {
    this.status = { ...this.status, ...patch };
    this.status.bootstrap = `${this.status.host}:${this.status.port}`;
    this.ctx.emit('broker.status', this.status);
    return this.status;
  }

  /** Start and stop run one at a time, in the order asked. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.transition.then(fn, fn);
    this.transition = next.catch(() => undefined);
    return next;
  }

  start(port?: number, security?: BrokerSecurityOptions): Promise<BrokerStatus> {
    return this.serial(async () => {
      if (this.host?.running) return this.status;
      if (security) this.security = security;
      const chosen = port ?? (await this.ctx.settings.get()).brokerPort ?? DEFAULT_BROKER_PORT;
      const s = this.security;
      const host = s?.host ?? '127.0.0.1';
      this.set({ state: 'starting', host, port: chosen, error: null, freePort: null });
      try {
        const config = brokerConfig({
          dataDir: this.status.dataDir,
          port: chosen,
          host,
          tlsCertFile: s?.tlsCertFile ? resolve(s.tlsCertFile) : null,
          tlsKeyFile: s?.tlsKeyFile ? resolve(s.tlsKeyFile) : null,
          saslUsersFile: s?.saslUsersFile ? resolve(s.saslUsersFile) : null,
          saslInternalUser: this.internalUser,
        });
        const problem = brokerConfigProblem(config);
        if (problem) throw new Error(problem);
        this.host = await BrokerHost.start(config);
        this.tlsCertFile = config.tlsCertFile;
        return this.set({
          state: 'running',
          port: this.host.address.port,
          startedAt: new Date().toISOString(),
          tls: this.host.security.tls,
          saslMechanisms: this.host.security.saslMechanisms,
        });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.set({
          state: 'failed',
          error: message,
          freePort: err instanceof PortInUseError ? err.freePort : null,
          startedAt: null,
        });
        throw new ApiError({ code: err instanceof PortInUseError ? 'CONFLICT' : 'FAILED', message });
      }
    });
  }

  /**
   * Where the app's own clients reach the running broker, starting it first if needed (replay and stream use
   * it): its address and, when it is secured, the TLS and SASL settings to match.
   */
  async ensureRunning(): Promise<KafkaTarget> {
    await this.ensureStarted();
    const bootstrap = this.loopbackBootstrap();
    return {
      bootstrap,
      ...(this.status.tls && this.tlsCertFile ? { ssl: true, tlsTrustCert: this.tlsCertFile } : {}),
      ...(this.status.saslMechanisms.length
        ? {
            sasl: {
              mechanism: 'scram-sha-512' as const,
              username: this.internalUser.name,
              password: this.internalUser.password,
            },
          }
        : {}),
    };
  }

  /** A listener on every interface is reached at 127.0.0.1 by the app itself. */
  private loopbackBootstrap(): string {
    const host = this.status.host === '0.0.0.0' || this.status.host === '::' ? '127.0.0.1' : this.status.host;
    return `${host}:${this.status.port}`;
  }

  private async ensureStarted(): Promise<void> {
    if (this.host?.running) return;
    try {
      await this.start();
    } catch (error) {
      // The default port taken (say by a Kafka of the user's own) should not block a replay: take the free
      // port offered. A port the user chose is kept, and its error stands.
      const chosen = (await this.ctx.settings.get()).brokerPort;
      if (chosen !== undefined || this.status.freePort === null) throw error;
      await this.start(this.status.freePort);
    }
  }

  stop(): Promise<BrokerStatus> {
    return this.serial(async () => {
      const host = this.host;
      if (!host) return this.status;
      this.set({ state: 'stopping' });
      this.host = null;
      await host.stop();
      return this.set({ state: 'stopped', startedAt: null, tls: false, saslMechanisms: [] });
    });
  }

  private running(): BrokerHost {
    if (!this.host?.running) {
      throw new ApiError({
        code: 'CONFLICT',
        message: 'The embedded broker is not running: start it first.',
      });
    }
    return this.host;
  }

  async overview(): Promise<BrokerOverview> {
    if (!this.host?.running) {
      return {
        status: this.status,
        topics: [],
        groups: [],
        connections: 0,
        requests: 0,
        bytesIn: 0,
        bytesOut: 0,
      };
    }
    const { topics, groups, stats } = await this.host.overview();
    return { status: this.status, topics, groups, ...stats };
  }

  async messages(range: MessageRange): Promise<MessagePage> {
    try {
      return await this.running().messages(range);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError({ code: 'NOT_FOUND', message: err instanceof Error ? err.message : String(err) });
    }
  }

  async resetOffsets(reset: ResetOffsetsRequest): Promise<ResetOffsetsResult> {
    try {
      return await this.running().resetOffsets(reset);
    } catch (err) {
      if (err instanceof ApiError || !(err instanceof Error)) throw err;
      const code =
        err.name === 'GroupNotEmpty' ? 'CONFLICT' : err.name === 'NotFound' ? 'NOT_FOUND' : 'FAILED';
      throw new ApiError({ code, message: err.message });
    }
  }

  // ---- administration: each runs the broker's Kafka handler in its thread (see topic-admin.ts) ----

  private async admin(call: AdminCall): Promise<AdminValueOf> {
    try {
      return await this.running().admin(call);
    } catch (err) {
      if (err instanceof ApiError || !(err instanceof Error)) throw err;
      const code =
        err.name === 'NotFound'
          ? 'NOT_FOUND'
          : err.name === 'Conflict'
            ? 'CONFLICT'
            : err.name === 'Invalid'
              ? 'VALIDATION'
              : 'FAILED';
      throw new ApiError({ code, message: err.message });
    }
  }

  private async changedTopic(call: AdminCall): Promise<TopicInfo> {
    const { topic } = await this.admin(call);
    if (!topic)
      throw new ApiError({ code: 'FAILED', message: 'The broker did not report the topic it changed.' });
    return topic;
  }

  createTopic(request: CreateTopicRequest): Promise<TopicInfo> {
    return this.changedTopic({ kind: 'createTopic', request });
  }

  async deleteTopic(name: string): Promise<{ name: string }> {
    await this.admin({ kind: 'deleteTopic', name });
    return { name };
  }

  addPartitions(request: AddPartitionsRequest): Promise<TopicInfo> {
    return this.changedTopic({ kind: 'addPartitions', request });
  }

  async deleteRecords(request: DeleteRecordsRequest): Promise<DeleteRecordsResult> {
    return (await this.admin({ kind: 'deleteRecords', request })).result as DeleteRecordsResult;
  }

  async deleteGroup(groupId: string): Promise<{ groupId: string }> {
    await this.admin({ kind: 'deleteGroup', groupId });
    return { groupId };
  }

  setTopicConfig(request: TopicConfigRequest): Promise<TopicInfo> {
    return this.changedTopic({ kind: 'setTopicConfig', request });
  }
}

type AdminValueOf = Awaited<ReturnType<BrokerHost['admin']>>;
