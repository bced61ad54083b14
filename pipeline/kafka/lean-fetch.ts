import { ErrorCode } from '../broker/error-codes';
import { Fetch } from '../broker/protocol/messages/fetch';
import { FindCoordinator } from '../broker/protocol/messages/find-coordinator';
import { Metadata } from '../broker/protocol/messages/metadata';
import { OffsetCommit } from '../broker/protocol/messages/offset-commit';
import type { RequestOf, ResponseOf } from '../broker/protocol/api';
import { ZERO_UUID } from '../broker/protocol/types';
import { openBootstrap } from './bootstrap';
import { KafkaConnection, type ClientApi } from './connection';
import { nextOffsetOf, type AbortedTransaction } from './record-decoder';
import { bootstrapServers, type KafkaTarget } from './target';
import { tlsOptions } from './tls';

/** One partition's share of a Fetch answer: the raw record batches, undecoded (see decodeRecordBatches). */
export interface FetchedPartition {
  partition: number;
  /** Where this fetch read from. */
  fetchOffset: number;
  /** Offset after the last whole batch: where the next fetch starts. */
  nextOffset: number;
  highWatermark: number;
  logStartOffset: number;
  records: Buffer;
  aborted: AbortedTransaction[] | null;
}

export interface LeanFetchOptions {
  clientId?: string;
  /** The group whose committed offsets commit() updates (simple commits: the consumer never joins it). */
  groupId: string;
  /** Where each partition starts. */
  startAt(partition: number): number;
  /** Handles one partition's fetched block; the next fetch of that leader goes out before it is called. */
  onFetch(fetched: FetchedPartition): Promise<void> | void;
  /** A failure the consumer cannot get past (after retries): it has stopped. */
  onError(error: Error): void;
  maxWaitMs?: number;
  maxBytes?: number;
  partitionMaxBytes?: number;
  timeoutMs?: number;
  /** Consecutive failed fetches (connection lost, leader moved) before onError. */
  retries?: number;
  /**
   * How often the topic's partitions and leaders are read again, so partitions added while the fetcher runs
   * are read too (Kafka's clients wait metadata.max.age.ms, 5 min; the app's own Topics screen adds
   * partitions, and the user expects Bronze to follow within seconds).
   */
  metadataRefreshMs?: number;
}

/** Non-flexible versions only: v5 brings logStartOffset (retention resets), v11 is the last before v12's tagged fields. */
const FETCH_VERSIONS = [5, 11] as const;
const METADATA_VERSIONS = [1, 4] as const;
const FIND_COORDINATOR_VERSIONS = [0, 2] as const;
const OFFSET_COMMIT_VERSIONS = [2, 7] as const;

/** Errors after which metadata is read again and fetching goes on. */
const RETRIABLE = new Set<number>([
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.REQUEST_TIMED_OUT,
  13, // NETWORK_EXCEPTION
  74, // FENCED_LEADER_EPOCH
  75, // UNKNOWN_LEADER_EPOCH
]);

type Versions = { fetch: number; metadata: number; findCoordinator: number; offsetCommit: number };

/**
 * A lean Kafka consumer for the lake's hot path: it reads every partition of one topic with Fetch requests
 * over the wire (read_committed), one connection per leader, and hands each partition's record batches on
 * as the raw bytes Kafka sent, so the caller decodes them in bulk (decodeRecordBatches) instead of one JS
 * object per message. Each leader's next Fetch is sent before the previous answer is handled, so the broker
 * serves while the caller decodes. Where to start is the caller's (Bronze's manifest); offsets it commits are
 * simple commits to the group (generation -1), as Kafka allows for a group without members, for lag displays.
 */
export class LeanFetcher {
  private readonly positions = new Map<number, number>();
  private leaders = new Map<number, number>();
  private brokers = new Map<number, { host: string; port: number }>();
  private readonly loops = new Map<number, LeaderLoop>();
  private coordinator: Promise<KafkaConnection> | null = null;
  private paused = false;
  private resumed: (() => void) | null = null;
  private stopped = false;
  private failures = 0;
  private checking = false;
  private watch: NodeJS.Timeout | null = null;

  private constructor(
    readonly target: KafkaTarget,
    readonly topic: string,
    private readonly options: LeanFetchOptions,
    readonly versions: Versions,
    private bootstrap: KafkaConnection,
  ) {}

  static async open(target: KafkaTarget, topic: string, options: LeanFetchOptions): Promise<LeanFetcher> {
    if (target.sasl) throw new Error('The lean consumer does not speak SASL: use the kafkajs consumer.');
    const { conn, pick } = await openBootstrap(
      target,
      options.clientId ?? 'clickpulse-lake',
      options.timeoutMs,
    );
    try {
      const versions = {
        fetch: pick(Fetch.key, FETCH_VERSIONS, 'Fetch'),
        metadata: pick(Metadata.key, METADATA_VERSIONS, 'Metadata'),
        findCoordinator: pick(FindCoordinator.key, FIND_COORDINATOR_VERSIONS, 'FindCoordinator'),
        offsetCommit: pick(OffsetCommit.key, OFFSET_COMMIT_VERSIONS, 'OffsetCommit'),
      };
      const fetcher = new LeanFetcher(target, topic, options, versions, conn);
      await fetcher.refreshMetadata();
      for (const p of fetcher.leaders.keys()) fetcher.positions.set(p, options.startAt(p));
      return fetcher;
    } catch (error) {
      conn.close();
      throw error;
    }
  }

  /** The topic's partitions, in order. */
  get partitions(): number[] {
    return [...this.leaders.keys()].sort((a, b) => a - b);
  }

  /** Where the next fetch of a partition starts. */
  position(partition: number): number | undefined {
    return this.positions.get(partition);
  }

  /** Starts fetching every partition (one loop per leader), and follows partitions added later. */
  run(): void {
    this.startLoops();
    this.watch = setInterval(() => void this.followPartitions(), this.options.metadataRefreshMs ?? 5000);
    this.watch.unref();
  }

  /**
   * Reads the topic's metadata again; when its partitions or their leaders changed, the loops are restarted
   * from the caller's own positions (a new partition starts where startAt says).
   */
  private async followPartitions(): Promise<void> {
    // No loops: a failed loop is already restarting them, and it reads the metadata itself.
    if (this.stopped || this.checking || this.loops.size === 0) return;
    this.checking = true;
    try {
      const before = this.leaders;
      await this.refreshMetadata();
      const same =
        before.size === this.leaders.size &&
        [...this.leaders].every(([partition, leader]) => before.get(partition) === leader);
      if (same || this.stopped || this.loops.size === 0) return;
      const loops = [...this.loops.values()];
      this.loops.clear();
      for (const loop of loops) loop.stop();
      await Promise.all(loops.map((l) => l.done));
      if (this.stopped || this.loops.size > 0) return;
      for (const p of this.positions.keys()) this.positions.set(p, this.options.startAt(p));
      this.startLoops();
    } catch {
      // A broker that cannot answer now fails the loops' own fetches too, and they retry; so does the next check.
    } finally {
      this.checking = false;
    }
  }

  /** Stops sending fetches (answers already under way are still handed on) until resume(). */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.resumed?.();
    this.resumed = null;
  }

  /** @internal for LeaderLoop: resolves once not paused (or stopped). */
  whenRunning(): Promise<void> | null {
    if (!this.paused || this.stopped) return null;
    return new Promise((resolve) => {
      const before = this.resumed;
      this.resumed = () => {
        before?.();
        resolve();
      };
    });
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  private async refreshMetadata(): Promise<void> {
    if (this.bootstrap.closed) {
      const [first] = this.brokers.values();
      const server = first ?? bootstrapServers(this.target)[0];
      if (server) this.bootstrap = await this.connect(server.host, server.port);
    }
    const meta = await this.bootstrap.request<ResponseOf<typeof Metadata>>(
      Metadata as ClientApi,
      this.versions.metadata,
      {
        ...Metadata.request.zero,
        topics: [{ name: this.topic, topicId: ZERO_UUID }],
        allowAutoTopicCreation: false,
      } satisfies RequestOf<typeof Metadata>,
    );
    const t = meta.topics.find((x) => x.name === this.topic);
    if (!t || t.errorCode !== 0 || t.partitions.length === 0)
      throw new Error(`Topic ${this.topic} is not available on Kafka (error ${t?.errorCode ?? 'none'}).`);
    this.brokers = new Map(meta.brokers.map((b) => [b.nodeId, { host: b.host, port: b.port }]));
    this.leaders = new Map(t.partitions.map((p) => [p.partitionIndex, p.leaderId]));
  }

  private startLoops(): void {
    const byLeader = new Map<number, number[]>();
    for (const [partition, leader] of this.leaders) {
      if (!this.positions.has(partition)) this.positions.set(partition, this.options.startAt(partition));
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), partition]);
    }
    for (const [leader, partitions] of byLeader) {
      const loop = new LeaderLoop(this, leader, partitions);
      this.loops.set(leader, loop);
      void loop.run();
    }
  }

  /** @internal for LeaderLoop: the Fetch request for these partitions from their positions. */
  fetchRequest(partitions: number[]): RequestOf<typeof Fetch> {
    const partMax = this.options.partitionMaxBytes ?? 4 << 20;
    return {
      ...Fetch.request.zero,
      replicaId: -1,
      maxWaitMs: this.options.maxWaitMs ?? 250,
      minBytes: 1,
      maxBytes: this.options.maxBytes ?? 16 << 20,
      isolationLevel: 1, // read_committed, as kafkajs and the Java consumer default to
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: this.topic,
          topicId: ZERO_UUID,
          partitions: partitions.map((partition) => ({
            ...Fetch.request.zero.topics[0]?.partitions[0],
            partition,
            currentLeaderEpoch: -1,
            fetchOffset: this.positions.get(partition) ?? 0,
            lastFetchedEpoch: -1,
            logStartOffset: -1,
            partitionMaxBytes: partMax,
            replicaDirectoryId: ZERO_UUID,
          })),
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    };
  }

  /**
   * @internal for LeaderLoop: reads one answer and moves the positions on (before the caller decodes, so
   * the next fetch can go out at once). Returns the blocks to hand on, and why some partitions failed in a
   * way a metadata refresh may cure (their blocks are handed on first).
   */
  takeAnswer(res: ResponseOf<typeof Fetch>): { blocks: FetchedPartition[]; retriable: string | null } {
    if (res.errorCode !== 0)
      return { blocks: [], retriable: `Kafka refused a fetch (error ${res.errorCode}).` };
    const blocks: FetchedPartition[] = [];
    let retriable: string | null = null;
    for (const t of res.responses) {
      for (const p of t.partitions) {
        const fetchOffset = this.positions.get(p.partitionIndex) ?? 0;
        if (p.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
          // Retention deleted what this partition was to read next (or the log was recreated): go on from
          // the log's start, as a consumer reset to earliest does; the caller sees the gap in offsets.
          this.positions.set(p.partitionIndex, Math.max(0, Number(p.logStartOffset)));
          continue;
        }
        if (p.errorCode !== 0) {
          const why = `Kafka refused to serve ${this.topic}[${p.partitionIndex}] (error ${p.errorCode}).`;
          if (!RETRIABLE.has(p.errorCode)) throw new Error(why);
          retriable ??= why;
          continue;
        }
        const records = p.records ?? Buffer.alloc(0);
        const nextOffset = nextOffsetOf(records, fetchOffset);
        this.positions.set(p.partitionIndex, nextOffset);
        blocks.push({
          partition: p.partitionIndex,
          fetchOffset,
          nextOffset,
          highWatermark: Number(p.highWatermark),
          logStartOffset: Number(p.logStartOffset),
          records,
          aborted: p.abortedTransactions?.length
            ? p.abortedTransactions.map((a) => ({
                producerId: Number(a.producerId),
                firstOffset: Number(a.firstOffset),
              }))
            : null,
        });
      }
    }
    return { blocks, retriable };
  }

  /** @internal for LeaderLoop */
  async handle(fetched: FetchedPartition): Promise<void> {
    await this.options.onFetch(fetched);
    this.failures = 0;
  }

  /** @internal for LeaderLoop: a loop failed; read metadata again and restart every loop after a backoff. */
  loopFailed(error: unknown): void {
    if (this.stopped) return;
    const err = error instanceof Error ? error : new Error(String(error));
    for (const loop of this.loops.values()) loop.stop();
    this.loops.clear();
    if (++this.failures > (this.options.retries ?? 8)) {
      this.stopped = true;
      this.options.onError(err);
      return;
    }
    // Positions ran ahead of what the caller took in (the fetch after the one handled): start again from
    // the caller's own positions, so nothing fetched but not handled is skipped.
    for (const p of this.positions.keys()) this.positions.set(p, this.options.startAt(p));
    setTimeout(
      () => {
        if (this.stopped) return;
        this.refreshMetadata().then(
          () => this.startLoops(),
          (e: unknown) => this.loopFailed(e),
        );
      },
      Math.min(2000, 100 * 2 ** this.failures),
    ).unref();
  }

  /** @internal for LeaderLoop */
  connectTo(nodeId: number): Promise<KafkaConnection> {
    const broker = this.brokers.get(nodeId);
    if (!broker)
      return Promise.reject(new Error(`Kafka named broker ${nodeId} as a leader but not its address.`));
    return this.connect(broker.host, broker.port);
  }

  private connect(host: string, port: number): Promise<KafkaConnection> {
    return KafkaConnection.open(host, port, {
      clientId: this.options.clientId ?? 'clickpulse-lake',
      tls: tlsOptions(this.target),
      ...(this.options.timeoutMs ? { timeoutMs: this.options.timeoutMs } : {}),
    });
  }

  /** Commits `offset` (the next one to read) of a partition to the group: a simple commit, for lag displays. */
  async commit(partition: number, offset: number): Promise<void> {
    const conn = await this.coordinatorConnection();
    const v = this.versions.offsetCommit;
    const res = await conn.request<ResponseOf<typeof OffsetCommit>>(OffsetCommit as ClientApi, v, {
      ...OffsetCommit.request.zero,
      groupId: this.options.groupId,
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1,
      topics: [
        {
          name: this.topic,
          partitions: [
            {
              partitionIndex: partition,
              committedOffset: offset,
              committedLeaderEpoch: -1,
              commitTimestamp: -1,
              committedMetadata: null,
            },
          ],
        },
      ],
    } satisfies RequestOf<typeof OffsetCommit>);
    const code = res.topics[0]?.partitions[0]?.errorCode ?? 0;
    if (code === ErrorCode.NOT_COORDINATOR || code === ErrorCode.COORDINATOR_NOT_AVAILABLE) {
      this.coordinator = null;
      conn.close();
    }
    if (code !== 0)
      throw new Error(
        `Kafka refused the commit of ${this.topic}[${partition}] for group ${this.options.groupId} (error ${code}).`,
      );
  }

  private coordinatorConnection(): Promise<KafkaConnection> {
    const existing = this.coordinator;
    if (existing) {
      return existing.then((c) => {
        if (!c.closed) return c;
        this.coordinator = null;
        return this.coordinatorConnection();
      });
    }
    const opening = (async () => {
      const found = await this.bootstrap.request<ResponseOf<typeof FindCoordinator>>(
        FindCoordinator as ClientApi,
        this.versions.findCoordinator,
        { ...FindCoordinator.request.zero, key: this.options.groupId, keyType: 0, coordinatorKeys: [] },
      );
      if (found.errorCode !== 0)
        throw new Error(
          `Kafka found no coordinator for group ${this.options.groupId} (error ${found.errorCode}).`,
        );
      return this.connect(found.host, found.port);
    })();
    this.coordinator = opening;
    opening.catch(() => {
      if (this.coordinator === opening) this.coordinator = null;
    });
    return opening;
  }

  /** Stops every loop and closes every connection; resolves once handlers under way have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.watch) clearInterval(this.watch);
    this.resume();
    const loops = [...this.loops.values()];
    this.loops.clear();
    for (const loop of loops) loop.stop();
    await Promise.all(loops.map((l) => l.done));
    this.bootstrap.close();
    const coordinator = this.coordinator;
    this.coordinator = null;
    await coordinator?.then((c) => c.close()).catch(() => undefined);
  }
}

/** Fetches one leader's partitions, one request always ahead of the handler. */
class LeaderLoop {
  private conn: KafkaConnection | null = null;
  private stopped = false;
  private finished: () => void = () => undefined;
  readonly done = new Promise<void>((resolve) => (this.finished = resolve));

  constructor(
    private readonly fetcher: LeanFetcher,
    readonly nodeId: number,
    private readonly partitions: number[],
  ) {}

  async run(): Promise<void> {
    try {
      this.conn = await this.fetcher.connectTo(this.nodeId);
      let next: Promise<ResponseOf<typeof Fetch>> | null = this.send();
      while (!this.stopped && next) {
        const answer = await next;
        if (this.stopped) break;
        const { blocks, retriable } = this.fetcher.takeAnswer(answer);
        // The next fetch goes out before this one is handled: the broker reads while we decode and write.
        next = null;
        const wait = this.fetcher.whenRunning();
        if (!wait) next = this.send();
        for (const block of blocks) await this.fetcher.handle(block);
        if (retriable) throw new Error(retriable);
        if (wait) {
          await wait;
          if (!this.stopped) next = this.send();
        }
      }
    } catch (error) {
      if (!this.stopped) this.fetcher.loopFailed(error);
    } finally {
      this.conn?.close();
      this.finished();
    }
  }

  private send(): Promise<ResponseOf<typeof Fetch>> {
    const conn = this.conn as KafkaConnection;
    const answer = conn.request<ResponseOf<typeof Fetch>>(
      Fetch as ClientApi,
      this.fetcher.versions.fetch,
      this.fetcher.fetchRequest(this.partitions),
    );
    // Awaited later (after the handler); a failure meanwhile must not count as unhandled.
    answer.catch(() => undefined);
    return answer;
  }

  stop(): void {
    this.stopped = true;
    // An unanswered fetch would hold the loop for up to maxWaitMs: closing the connection ends it now.
    this.conn?.close();
  }
}
