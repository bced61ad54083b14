import { ErrorCode } from '../broker/error-codes';
import { BatchField } from '../broker/records/record-batch';
import { InitProducerId } from '../broker/protocol/messages/init-producer-id';
import { Metadata } from '../broker/protocol/messages/metadata';
import { Produce } from '../broker/protocol/messages/produce';
import type { RequestOf, ResponseOf } from '../broker/protocol/api';
import { ZERO_UUID } from '../broker/protocol/types';
import { type Compression } from './compression';
import { openBootstrap } from './bootstrap';
import { KafkaConnection, type ClientApi } from './connection';
import { partitionOf, partitionOfBytes } from './murmur2';
import { RecordBatchBuilder, type ByteField, type Lineage } from './record-batch-builder';
import { bootstrapServers, type KafkaTarget } from './target';
import { tlsOptions } from './tls';

export interface LeanProducerOptions {
  clientId?: string;
  compression?: Compression | null;
  /** A partition's batch is sealed once it holds this many bytes (Kafka's default max message is 1 MiB). */
  batchBytes?: number;
  /** Produce requests awaiting an answer per broker; idempotence keeps order for up to 5. */
  maxInFlight?: number;
  /** Attempts per request before the producer gives up. */
  retries?: number;
  timeoutMs?: number;
}

interface Item {
  topic: string;
  /** Failed sends so far. */
  attempts: number;
  partition: number;
  batch: Buffer;
  resolve(): void;
  reject(error: Error): void;
}

interface TopicState {
  name: string;
  /** Per partition, the offset after the last record Kafka acknowledged from this producer. */
  acked: number[];
  builders: RecordBatchBuilder[];
  nextSequence: number[];
  leaders: number[];
  roundRobin: number;
}

/** Errors after which the same batches are sent again (same sequence numbers, so never twice in the log). */
const RETRIABLE = new Set<number>([
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.REQUEST_TIMED_OUT,
  13, // NETWORK_EXCEPTION
  19, // NOT_ENOUGH_REPLICAS
  20, // NOT_ENOUGH_REPLICAS_AFTER_APPEND
  ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
]);

const PRODUCE_VERSIONS = [3, 7] as const;
const METADATA_VERSIONS = [1, 4] as const;

/**
 * A lean idempotent Kafka producer for the replay's hot path. Records are framed straight into one
 * RecordBatch per partition (see RecordBatchBuilder), a flush sends every partition's batch in one Produce
 * request per leader (acks=-1), and failures resend the same batches with the same producer id and
 * sequences (the broker drops duplicates), so a retry never writes a row twice. It speaks only the
 * protocol: ApiVersions, Metadata, InitProducerId, Produce, over TCP or TLS, to the embedded broker and
 * to external clusters alike.
 */
export class LeanProducer {
  private readonly links = new Map<number, BrokerLink>();
  private readonly topics = new Map<string, TopicState>();
  private brokers = new Map<number, { host: string; port: number }>();
  private producerId = -1;
  private producerEpoch = 0;
  private failure: Error | null = null;
  readonly batchBytes: number;
  private buffered = 0;

  private constructor(
    readonly target: KafkaTarget,
    private readonly options: LeanProducerOptions,
    readonly versions: { produce: number; metadata: number; initProducerId: number },
    private bootstrap: KafkaConnection,
  ) {
    this.batchBytes = options.batchBytes ?? 512 * 1024;
  }

  static async open(
    target: KafkaTarget,
    topics: string[],
    options: LeanProducerOptions = {},
  ): Promise<LeanProducer> {
    if (target.sasl) throw new Error('The lean producer does not speak SASL: use the kafkajs producer.');
    const { conn, pick } = await openBootstrap(
      target,
      options.clientId ?? 'clickpulse-replay',
      options.timeoutMs,
    );
    try {
      const versions = {
        produce: pick(Produce.key, PRODUCE_VERSIONS, 'Produce'),
        metadata: pick(Metadata.key, METADATA_VERSIONS, 'Metadata'),
        initProducerId: pick(InitProducerId.key, [0, 1], 'InitProducerId (idempotence)'),
      };
      const producer = new LeanProducer(target, options, versions, conn);
      await producer.refreshMetadata(topics);
      const init = await conn.request<ResponseOf<typeof InitProducerId>>(
        InitProducerId as ClientApi,
        versions.initProducerId,
        {
          ...InitProducerId.request.zero,
          transactionalId: null,
          transactionTimeoutMs: 60_000,
          producerId: -1,
          producerEpoch: -1,
        } satisfies RequestOf<typeof InitProducerId>,
      );
      if (init.errorCode !== 0)
        throw new Error(`Kafka at ${conn.address} refused a producer id (error ${init.errorCode}).`);
      producer.producerId = init.producerId;
      producer.producerEpoch = init.producerEpoch;
      return producer;
    } catch (error) {
      conn.close();
      throw error;
    }
  }

  /** Learns the partitions, their leaders and the brokers' addresses. */
  private async refreshMetadata(names: string[] = [...this.topics.keys()]): Promise<void> {
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
        topics: names.map((name) => ({ name, topicId: ZERO_UUID })),
        allowAutoTopicCreation: false,
      } satisfies RequestOf<typeof Metadata>,
    );
    this.brokers = new Map(meta.brokers.map((b) => [b.nodeId, { host: b.host, port: b.port }]));
    for (const t of meta.topics) {
      // Metadata up to v4 always names its topics (a null name exists only from v12, by topic id).
      const name = t.name ?? '';
      if (t.errorCode !== 0 || t.partitions.length === 0)
        throw new Error(`Topic ${name} is not available on Kafka (error ${t.errorCode}).`);
      const leaders: number[] = [];
      for (const p of t.partitions) leaders[p.partitionIndex] = p.leaderId;
      const state = this.topics.get(name);
      if (state) state.leaders = leaders;
      else
        this.topics.set(name, {
          name,
          leaders,
          builders: leaders.map(() => new RecordBatchBuilder()),
          nextSequence: leaders.map(() => 0),
          acked: leaders.map(() => 0),
          roundRobin: 0,
        });
    }
  }

  /** Partition → the offset after the last record Kafka acknowledged from this producer (the replay's backpressure). */
  acknowledged(topic: string): Map<number, number> {
    return new Map(this.topic(topic).acked.map((end, p) => [p, end]));
  }

  /** @internal for BrokerLink */
  noteAck(topic: string, partition: number, baseOffset: number, count: number): void {
    const t = this.topics.get(topic);
    if (!t || baseOffset < 0) return;
    t.acked[partition] = Math.max(t.acked[partition] ?? 0, baseOffset + count);
  }

  partitionsOf(topic: string): number {
    return this.topic(topic).builders.length;
  }

  private topic(name: string): TopicState {
    const t = this.topics.get(name);
    if (!t) throw new Error(`The producer was not opened for topic ${name}.`);
    return t;
  }

  private builderFor(t: TopicState, key: string | null): RecordBatchBuilder {
    return this.builderAt(t, key === null ? null : partitionOf(key, t.builders.length));
  }

  /** The partition's batch; null (no key) goes round-robin. */
  private builderAt(t: TopicState, partition: number | null): RecordBatchBuilder {
    return t.builders[partition ?? t.roundRobin++ % t.builders.length] as RecordBatchBuilder;
  }

  /** Counts what an append added to b, and raises `full` once b reached batchBytes. */
  private grew(b: RecordBatchBuilder, before: number): void {
    this.buffered += b.size - before;
    if (b.size >= this.batchBytes) this.fullFlag = true;
  }

  /** Appends one record with the run's lineage headers; `full` says when it is time to flush. */
  appendWithLineage(
    topic: string,
    key: string | null,
    value: string | null,
    lineage: Lineage,
    row: number,
  ): void {
    const b = this.builderFor(this.topic(topic), key);
    const before = b.size;
    b.appendWithLineage(key, value, lineage, row);
    this.grew(b, before);
  }

  /**
   * Appends row i of two ByteFields (key, value) with the run's lineage headers: the bytes are copied
   * straight from where they are held. A null key goes round-robin, like append's.
   */
  appendRowWithLineage(
    topic: string,
    key: ByteField,
    value: ByteField,
    i: number,
    lineage: Lineage,
    row: number,
  ): void {
    const t = this.topic(topic);
    const keyBuf = key.bufferOf(i);
    const b = this.builderAt(
      t,
      keyBuf === null ? null : partitionOfBytes(keyBuf, key.startOf(i), key.lengthOf(i), t.builders.length),
    );
    const before = b.size;
    b.appendRowWithLineage(key, value, i, lineage, row);
    this.grew(b, before);
  }

  append(topic: string, key: string | null, value: string | null, headers: [string, string][]): void {
    const b = this.builderFor(this.topic(topic), key);
    const before = b.size;
    b.append(key, value, headers);
    this.grew(b, before);
  }

  private fullFlag = false;

  /** True once some partition's batch reached batchBytes: one Produce request may hold one batch per partition. */
  get full(): boolean {
    return this.fullFlag;
  }

  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Seals every partition's batch and sends them; resolves when all are acknowledged by every replica (acks=-1). */
  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const byLeader = new Map<number, Item[]>();
    const acks: Promise<void>[] = [];
    for (const t of this.topics.values()) {
      t.builders.forEach((b, partition) => {
        if (b.count === 0) return;
        const count = b.count;
        const batch = b.seal(
          this.producerId,
          this.producerEpoch,
          t.nextSequence[partition] as number,
          this.options.compression ?? undefined,
        );
        t.nextSequence[partition] = ((t.nextSequence[partition] as number) + count) % 0x8000_0000;
        const leader = t.leaders[partition] ?? -1;
        const items = byLeader.get(leader) ?? [];
        byLeader.set(leader, items);
        acks.push(
          new Promise<void>((resolve, reject) =>
            items.push({ topic: t.name, attempts: 0, partition, batch, resolve, reject }),
          ),
        );
      });
    }
    this.buffered = 0;
    this.fullFlag = false;
    for (const [leader, items] of byLeader) this.link(leader).enqueue(items);
    return Promise.all(acks).then(() => undefined);
  }

  private link(nodeId: number): BrokerLink {
    let link = this.links.get(nodeId);
    if (!link) {
      link = new BrokerLink(this, nodeId, this.options.maxInFlight ?? 5);
      this.links.set(nodeId, link);
    }
    return link;
  }

  /** @internal for BrokerLink */
  async connectTo(nodeId: number): Promise<KafkaConnection> {
    const broker = this.brokers.get(nodeId);
    if (!broker) throw new Error(`Kafka named broker ${nodeId} as a leader but not its address.`);
    return this.connect(broker.host, broker.port);
  }

  private connect(host: string, port: number): Promise<KafkaConnection> {
    return KafkaConnection.open(host, port, {
      clientId: this.options.clientId ?? 'clickpulse-replay',
      tls: tlsOptions(this.target),
      ...(this.options.timeoutMs ? { timeoutMs: this.options.timeoutMs } : {}),
    });
  }

  /** @internal for BrokerLink: items whose partition's leader may have moved, resent in order. */
  async reroute(from: BrokerLink, items: Item[]): Promise<void> {
    await this.refreshMetadata().catch(() => undefined);
    const byLeader = new Map<number, Item[]>();
    for (const item of items) {
      const leader = this.topics.get(item.topic)?.leaders[item.partition] ?? from.nodeId;
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), item]);
    }
    for (const [leader, group] of byLeader) this.link(leader).enqueue(group, true);
  }

  /** @internal for BrokerLink */
  produceRequest(items: Item[]): RequestOf<typeof Produce> {
    const byTopic = new Map<string, { index: number; records: Buffer }[]>();
    for (const item of items) {
      const list = byTopic.get(item.topic) ?? [];
      byTopic.set(item.topic, list);
      list.push({ index: item.partition, records: item.batch });
    }
    return {
      transactionalId: null,
      acks: -1,
      timeoutMs: this.options.timeoutMs ?? 30_000,
      topicData: [...byTopic].map(([name, partitionData]) => ({ name, partitionData })),
    };
  }

  get retries(): number {
    return this.options.retries ?? 8;
  }

  /** @internal for BrokerLink: a non-retriable error ends the producer. */
  fail(error: Error): void {
    this.failure ??= error;
    for (const link of this.links.values()) link.abort(this.failure);
  }

  close(): void {
    for (const link of this.links.values()) link.close();
    this.bootstrap.close();
  }
}

interface InFlight {
  items: Item[];
}

/** Produce requests to one broker: at most maxInFlight unanswered; on any failure everything unanswered is resent, in order. */
class BrokerLink {
  private conn: KafkaConnection | null = null;
  private connecting: Promise<void> | null = null;
  private readonly waiting: InFlight[] = [];
  private readonly inFlight: InFlight[] = [];
  private repairing = false;
  private closed = false;

  constructor(
    private readonly producer: LeanProducer,
    readonly nodeId: number,
    private readonly maxInFlight: number,
  ) {}

  enqueue(items: Item[], first = false): void {
    const req = { items };
    if (first) this.waiting.unshift(req);
    else this.waiting.push(req);
    this.pump();
  }

  private pump(): void {
    if (this.repairing || this.closed) return;
    if (!this.conn || this.conn.closed) {
      this.connecting ??= this.producer
        .connectTo(this.nodeId)
        .then((c) => {
          this.conn = c;
        })
        .catch((error: unknown) => this.broken(error))
        .finally(() => {
          this.connecting = null;
          if (this.conn) this.pump();
        });
      return;
    }
    while (this.inFlight.length < this.maxInFlight && this.waiting.length) {
      const req = this.waiting.shift() as InFlight;
      this.inFlight.push(req);
      const conn = this.conn;
      conn
        .request<ResponseOf<typeof Produce>>(
          Produce as ClientApi,
          this.producer.versions.produce,
          this.producer.produceRequest(req.items),
        )
        .then(
          (res) => this.answered(conn, req, res),
          (error: unknown) => this.broken(error),
        );
    }
  }

  private answered(conn: KafkaConnection, req: InFlight, res: ResponseOf<typeof Produce>): void {
    if (conn !== this.conn || this.inFlight[0] !== req) return; // a resend is under way
    let retriable: string | null = null;
    for (const t of res.responses) {
      for (const p of t.partitionResponses) {
        const code = p.errorCode;
        if (code === 0) {
          const item = req.items.find((i) => i.topic === t.name && i.partition === p.index);
          if (item)
            this.producer.noteAck(
              t.name,
              p.index,
              p.baseOffset,
              item.batch.readInt32BE(BatchField.recordsCount),
            );
        }
        if (code === 0 || code === ErrorCode.DUPLICATE_SEQUENCE_NUMBER) continue;
        const why = `Kafka refused a batch for ${t.name}[${p.index}] (error ${code}).`;
        if (RETRIABLE.has(code)) retriable ??= why;
        else return this.producer.fail(new Error(why));
      }
    }
    if (retriable) return this.broken(new Error(retriable));
    this.inFlight.shift();
    for (const item of req.items) item.resolve();
    this.pump();
  }

  /** Drops the connection and resends every unanswered request after a backoff, leaders looked up again. */
  private broken(error: unknown): void {
    if (this.repairing || this.closed) return;
    const err = error instanceof Error ? error : new Error(String(error));
    const again = [...this.inFlight.splice(0), ...this.waiting.splice(0)].flatMap((r) => r.items);
    let attempts = 0;
    for (const item of again) attempts = Math.max(attempts, ++item.attempts);
    if (attempts > this.producer.retries) {
      this.waiting.push({ items: again });
      return this.producer.fail(err);
    }
    this.repairing = true;
    this.conn?.close();
    this.conn = null;
    setTimeout(
      () => {
        this.repairing = false;
        void this.producer.reroute(this, again);
      },
      Math.min(2000, 100 * 2 ** attempts),
    );
  }

  abort(error: Error): void {
    for (const req of [...this.inFlight.splice(0), ...this.waiting.splice(0)])
      for (const item of req.items) item.reject(error);
    this.close();
  }

  close(): void {
    this.closed = true;
    this.conn?.close();
    this.conn = null;
  }
}
