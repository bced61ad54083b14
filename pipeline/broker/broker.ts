import type { Server, Socket } from 'node:net';
import { join } from 'node:path';
import type {
  BrokerMessage,
  GroupInfo,
  MessagePage,
  MessageRange,
  ResetOffsetsRequest,
  ResetOffsetsResult,
  TopicInfo,
} from '../contract/broker';
import type { BrokerConfig } from './config';
import { Connection, type BrokerLog } from './connection';
import { clusterIdOf } from './core/cluster-id';
import { lockDataDir } from './core/data-dir-lock';
import { ProducerIds } from './core/producer-ids';
import { FIXED_TOPIC_SETTINGS } from './core/topic-config';
import { TopicStore } from './core/topic-store';
import { GroupCoordinator } from './groups/coordinator';
import { ErrorCode } from './error-codes';
import { findFreePort, PortInUseError } from './port-in-use';
import { decodeRecords } from './records/decode-records';
import type { BrokerCore } from './requests/context';
import { FetchWaiters } from './requests/fetch-waiters';
import { TopicAdmin } from './topic-admin';
import { BufferBudget, sweepIntervalMs } from './limits';
import { createListener, type Listener } from './listener';
import { SASL_MECHANISMS } from './sasl/authenticator';

/** How clients must connect: TLS or not, and the SASL mechanisms offered (empty: no authentication). */
export interface BrokerSecurity {
  tls: boolean;
  saslMechanisms: string[];
}

export interface BrokerStats {
  connections: number;
  requests: number;
  bytesIn: number;
  bytesOut: number;
}

/**
 * The embedded single-node Kafka broker: storage (TopicStore), consumer groups (GroupCoordinator)
 * and the protocol (Connection) meet only here. Runs in whatever thread starts it; the app starts
 * it in a worker thread (see host/).
 */
export class Broker {
  private readonly connections = new Set<Connection>();
  private readonly timers: NodeJS.Timeout[] = [];
  /** TCP sockets open, TLS handshakes included: what max.connections counts. */
  private openSockets = 0;
  private readonly budget: BufferBudget;
  private closedStats = { requests: 0, bytesIn: 0, bytesOut: 0 };
  private stopped = false;

  private constructor(
    readonly config: BrokerConfig,
    private readonly core: BrokerCore,
    private readonly listener: Listener,
    private readonly unlock: () => void,
    private readonly log: BrokerLog,
  ) {
    this.budget = new BufferBudget(config.maxBufferedBytes);
  }

  private get server(): Server {
    return this.listener.server;
  }

  static async start(config: BrokerConfig, log: BrokerLog = () => {}): Promise<Broker> {
    // Certificates, users and the host policy are checked before the data folder is touched.
    const listener = createListener(config);
    const unlock = lockDataDir(config.dataDir);
    let topics: TopicStore | undefined;
    let groups: GroupCoordinator | undefined;
    try {
      topics = TopicStore.open(config);
      groups = GroupCoordinator.open(join(config.dataDir, 'groups'), {
        initialRebalanceDelayMs: config.groupInitialRebalanceDelayMs,
        minSessionTimeoutMs: config.groupMinSessionTimeoutMs,
        maxSessionTimeoutMs: config.groupMaxSessionTimeoutMs,
      });
      const server = listener.server;
      const address = { host: config.host, port: config.port };
      const core: BrokerCore = {
        config,
        topics,
        groups,
        producerIds: new ProducerIds(config.dataDir),
        fetchWaiters: new FetchWaiters(topics),
        clusterId: clusterIdOf(config.dataDir),
        saslEnabled: listener.saslUsers !== null,
        advertised: () => address,
      };
      const broker = new Broker(config, core, listener, unlock, log);
      await listen(server, config.host, config.port);
      const bound = server.address();
      if (bound && typeof bound === 'object') address.port = bound.port;
      server.on('connection', (socket: Socket) => broker.admit(socket));
      server.on(listener.readyEvent, (socket: Socket) => broker.accept(socket));
      server.on('tlsClientError', (err: Error, socket: Socket) =>
        log('warn', `TLS handshake with ${socket.remoteAddress ?? '?'} failed: ${err.message}`),
      );
      broker.schedule();
      topics.forEachLog((l, topic, partition) => {
        if (l.recovery.truncatedBytes > 0) {
          log(
            'warn',
            `recovered ${topic}-${partition}: dropped a torn or corrupt tail of ${l.recovery.truncatedBytes} bytes`,
          );
        }
      });
      return broker;
    } catch (err) {
      groups?.close();
      topics?.close();
      unlock();
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new PortInUseError(config.host, config.port, await findFreePort(config.host, config.port));
      }
      throw err;
    }
  }

  get address(): { host: string; port: number } {
    return this.core.advertised();
  }

  /** Topic and group administration for the app, through the same handlers as Kafka clients. */
  get admin(): TopicAdmin {
    return new TopicAdmin(this.core);
  }

  get security(): BrokerSecurity {
    return {
      tls: this.listener.tls,
      saslMechanisms: this.listener.saslUsers ? [...SASL_MECHANISMS] : [],
    };
  }

  /**
   * The request-bytes budget now: reserved (frames announced and admitted), held (bytes actually buffered by
   * connections), and how many connections wait for room.
   */
  get buffered(): { reserved: number; held: number; capacity: number; waiting: number } {
    let held = 0;
    for (const c of this.connections) held += c.bufferedBytes;
    return {
      reserved: this.budget.usedBytes,
      held,
      capacity: this.budget.capacity,
      waiting: this.budget.waitingCount,
    };
  }

  /** Every TCP socket, before any TLS handshake: refused past max.connections. */
  private admit(socket: Socket): void {
    if (this.openSockets >= this.config.maxConnections) {
      this.log(
        'warn',
        `refusing a connection from ${socket.remoteAddress ?? '?'}: ${this.openSockets} connections are open (max.connections ${this.config.maxConnections})`,
      );
      socket.destroy();
      return;
    }
    this.openSockets++;
    socket.once('close', () => this.openSockets--);
  }

  private accept(socket: Socket): void {
    if (this.stopped || socket.destroyed) return void socket.destroy();
    const connection = new Connection(socket, {
      core: this.core,
      log: this.log,
      budget: this.budget,
      saslUsers: this.listener.saslUsers,
    });
    this.connections.add(connection);
    socket.once('close', () => {
      this.connections.delete(connection);
      this.closedStats.requests += connection.requests;
      this.closedStats.bytesIn += connection.bytesIn;
      this.closedStats.bytesOut += connection.bytesOut;
    });
  }

  private schedule(): void {
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    // Each partition log fsyncs itself within flushIntervalMs of an append (see log/partition-log.ts).
    every(this.config.retentionCheckMs, () => this.applyRetention());
    every(sweepIntervalMs(this.config), () => {
      const now = Date.now();
      for (const c of this.connections) c.checkTimeouts(now);
    });
  }

  /** Deletes whole segments past each topic's retention; returns how many. */
  applyRetention(): number {
    let deleted = 0;
    this.core.topics.forEachLog((l) => {
      deleted += l.applyRetention(Date.now()).deletedSegments;
    });
    return deleted;
  }

  stats(): BrokerStats {
    let requests = this.closedStats.requests;
    let bytesIn = this.closedStats.bytesIn;
    let bytesOut = this.closedStats.bytesOut;
    for (const c of this.connections) {
      requests += c.requests;
      bytesIn += c.bytesIn;
      bytesOut += c.bytesOut;
    }
    return { connections: this.connections.size, requests, bytesIn, bytesOut };
  }

  topics(): TopicInfo[] {
    return this.core.topics.names().map((name) => {
      const topic = this.core.topics.topic(name);
      const logs = topic?.partitions ?? [];
      const partitions = logs.map((l, partition) => ({
        partition,
        logStartOffset: l.logStartOffset,
        logEndOffset: l.logEndOffset,
        sizeBytes: l.sizeBytes,
        segments: l.segmentCount,
      }));
      const settings = this.core.topics.settings(topic?.overrides ?? {});
      return {
        name,
        partitions,
        messages: partitions.reduce((n, p) => n + p.logEndOffset - p.logStartOffset, 0),
        sizeBytes: partitions.reduce((n, p) => n + p.sizeBytes, 0),
        settings: {
          ...Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(v)])),
          ...FIXED_TOPIC_SETTINGS,
          partitions: String(partitions.length),
        },
      };
    });
  }

  groups(): GroupInfo[] {
    return this.core.groups.snapshot().map((g) => {
      const offsets = g.offsets.map((o) => {
        const end = this.core.topics.log(o.topic, o.partition)?.logEndOffset ?? null;
        return {
          topic: o.topic,
          partition: o.partition,
          committedOffset: o.offset,
          logEndOffset: end,
          lag: end === null ? null : Math.max(0, end - o.offset),
        };
      });
      return {
        groupId: g.groupId,
        state: g.state,
        protocolType: g.protocolType,
        protocol: g.protocol,
        generationId: g.generationId,
        leader: g.leader,
        members: g.members.map((m) => ({
          memberId: m.memberId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          assignments: m.assignedPartitions,
        })),
        offsets,
        totalLag: offsets.reduce((n, o) => n + (o.lag ?? 0), 0),
      };
    });
  }

  /** Where a page starts: the offset asked, else the first message at or after the time, else the last `limit`. */
  private pageStart(range: MessageRange, log: { logStartOffset: number; logEndOffset: number }): number {
    if (range.offset !== undefined) return range.offset;
    if (range.timestamp !== undefined) {
      const found = this.core.topics.log(range.topic, range.partition)?.offsetForTimestamp(range.timestamp);
      return found?.offset ?? log.logEndOffset;
    }
    return log.logEndOffset - range.limit;
  }

  /** Messages of one partition, from `offset` or `timestamp` (default: the last `limit`), decoded for display. */
  messages(range: MessageRange): MessagePage {
    const log = this.core.topics.log(range.topic, range.partition);
    if (!log) throw new Error(`Topic ${range.topic} has no partition ${range.partition}.`);
    const start = Math.max(log.logStartOffset, this.pageStart(range, log));
    const messages: BrokerMessage[] = [];
    const skipped = new Set<string>();
    let next = start;
    while (messages.length < range.limit && next < log.logEndOffset) {
      const { records, skippedCodecs } = decodeRecords(log.read(next, 1024 * 1024));
      skippedCodecs.forEach((c) => skipped.add(c));
      if (records.length === 0 && skippedCodecs.length === 0) break;
      let advanced = false;
      for (const r of records) {
        if (r.offset < next || messages.length >= range.limit) continue;
        messages.push(toMessage(r));
        next = r.offset + 1;
        advanced = true;
      }
      if (!advanced) break;
    }
    return {
      topic: range.topic,
      partition: range.partition,
      logStartOffset: log.logStartOffset,
      logEndOffset: log.logEndOffset,
      messages,
      note:
        skipped.size > 0
          ? `Some batches are compressed with ${[...skipped].join(', ')} and are not shown.`
          : null,
    };
  }

  /**
   * Moves a group's committed offsets of every partition of a topic, as kafka-consumer-groups
   * --reset-offsets does: a simple commit (generation -1, no member), which Kafka allows only while the
   * group has no members, so running consumers never have their position changed under them.
   */
  resetOffsets(r: ResetOffsetsRequest): ResetOffsetsResult {
    const topic = this.core.topics.topic(r.topic);
    if (!topic) throw namedError('NotFound', `There is no topic ${r.topic}.`);
    const group = this.core.groups.snapshot().find((g) => g.groupId === r.groupId);
    if (group && group.members.length > 0) {
      throw namedError(
        'GroupNotEmpty',
        `Group ${r.groupId} has ${group.members.length} active member(s) (state ${group.state}): stop its consumers before resetting offsets.`,
      );
    }
    const offsets = topic.partitions.map((l, partition) => {
      let offset: number;
      if (r.to === 'earliest') offset = l.logStartOffset;
      else if (r.to === 'latest') offset = l.logEndOffset;
      // No message at or after the time: the end, as Kafka's ListOffsets answers.
      else offset = l.offsetForTimestamp(r.to.timestamp)?.offset ?? l.logEndOffset;
      return { partition, offset };
    });
    const response = this.core.groups.commitOffsets({
      groupId: r.groupId,
      generationId: -1,
      memberId: '',
      topics: [
        {
          name: r.topic,
          partitions: offsets.map((o) => ({
            partitionIndex: o.partition,
            committedOffset: o.offset,
            metadata: null,
          })),
        },
      ],
    });
    const failed = response.flatMap((t) => t.partitions).find((p) => p.errorCode !== ErrorCode.NONE);
    if (failed) {
      // A member joined between the check above and the commit.
      if (
        failed.errorCode === ErrorCode.UNKNOWN_MEMBER_ID ||
        failed.errorCode === ErrorCode.REBALANCE_IN_PROGRESS
      )
        throw namedError('GroupNotEmpty', `Group ${r.groupId} has active members: stop its consumers first.`);
      throw new Error(`The group coordinator refused the reset (Kafka error ${failed.errorCode}).`);
    }
    return { groupId: r.groupId, topic: r.topic, offsets };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const c of this.connections) c.close();
    await closing;
    this.core.fetchWaiters.close();
    this.core.groups.close();
    this.core.topics.close();
    this.unlock();
  }
}

/** The name survives the trip from the worker thread, so the app can tell the kinds of failure apart. */
function namedError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function text(b: Buffer | null): { text: string | null; utf8: boolean } {
  if (b === null) return { text: null, utf8: true };
  const s = b.toString('utf8');
  return Buffer.byteLength(s) === b.length && !s.includes('\uFFFD')
    ? { text: s, utf8: true }
    : { text: b.toString('base64'), utf8: false };
}

function toMessage(r: ReturnType<typeof decodeRecords>['records'][number]): BrokerMessage {
  const key = text(r.key);
  const value = text(r.value);
  return {
    offset: r.offset,
    timestamp: new Date(r.timestamp).toISOString(),
    key: key.text,
    value: value.text,
    encoding: key.utf8 && value.utf8 ? 'utf8' : 'base64',
    headers: r.headers.map((h) => ({
      key: h.key,
      value: h.value === null ? null : h.value.toString('utf8'),
    })),
    sizeBytes: r.sizeBytes,
  };
}
