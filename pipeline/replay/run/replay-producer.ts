import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import { DLQ_TOPIC, type ReplayOptions } from '../../contract';
import { endOffsets, ensureTopics, eventTopicSpec, kafkaClient, type KafkaTarget } from '../../kafka';
import { compression } from '../../kafka/compression';
import { LeanProducer } from '../../kafka/lean-producer';
import { copyOfField, type ByteField, type Lineage } from '../../kafka/record-batch-builder';

/** Bytes buffered before the run sends them: one Produce request's worth. */
const FLUSH_BYTES = 1024 * 1024;
const FLUSH_ROWS = 5000;

export type ProducerSettings = Pick<ReplayOptions, 'compression' | 'retentionBytes' | 'producer'>;

/**
 * What a replay run sends through: records are appended one by one (framed at once by the lean producer,
 * collected by the kafkajs one) and sent by flush(), which resolves once Kafka acknowledged them all.
 */
export interface ProducerLike {
  warnings: string[];
  /** Which client runs underneath, for progress and benchmarks. */
  readonly client: 'lean' | 'kafkajs';
  /**
   * One event from row i of the key and value fields (UTF-8 bytes held in a DuckDB chunk: copied before
   * append returns), with the lineage headers clickpulse.source and clickpulse.row.
   */
  append(keys: ByteField, values: ByteField, i: number, lineage: Lineage, row: number): void;
  /** One dead-letter record (its headers say why). */
  appendDlq(value: string, headers: [string, string][]): void;
  /** True when enough is buffered to send. */
  readonly due: boolean;
  flush(): Promise<void>;
  /** Partition → the offset after the last event Kafka acknowledged (how far the replay got, for backpressure). */
  acknowledged(): Promise<Map<number, number>>;
  close(): Promise<void>;
}

/**
 * The replay's producer: idempotent (a retried batch never lands twice), acks=all, Kafka's default
 * (murmur2) partitioner so one key always maps to one partition. It creates the topic (with its
 * retention bound) and the DLQ if missing, and says so when an existing topic has another partition count.
 */
export const ReplayProducer = {
  async open(
    target: KafkaTarget,
    topic: string,
    partitions: number,
    settings: ProducerSettings = {},
  ): Promise<ProducerLike> {
    const kafka = kafkaClient(target, 'clickpulse-replay');
    let warnings: string[];
    try {
      ({ warnings } = await ensureTopics(kafka, [
        eventTopicSpec(topic, partitions, settings.retentionBytes),
        { topic: DLQ_TOPIC, partitions: 1 },
      ]));
    } catch (error) {
      throw new Error(
        `Cannot reach Kafka at ${target.bootstrap}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const codec = compression(settings.compression ?? 'none');
    // The lean producer speaks no SASL: with SASL on, kafkajs carries the replay.
    if (settings.producer === 'kafkajs' || target.sasl) {
      return KafkajsReplayProducer.open(kafka, topic, warnings, codec?.id ?? 0);
    }
    const lean = await LeanProducer.open(target, [topic, DLQ_TOPIC], { compression: codec });
    return new LeanReplayProducer(lean, topic, warnings);
  },
};

class LeanReplayProducer implements ProducerLike {
  readonly client = 'lean';

  constructor(
    private readonly producer: LeanProducer,
    private readonly topic: string,
    readonly warnings: string[],
  ) {}

  append(keys: ByteField, values: ByteField, i: number, lineage: Lineage, row: number): void {
    this.producer.appendRowWithLineage(this.topic, keys, values, i, lineage, row);
  }

  appendDlq(value: string, headers: [string, string][]): void {
    this.producer.append(DLQ_TOPIC, null, value, headers);
  }

  get due(): boolean {
    return this.producer.full || this.producer.bufferedBytes >= FLUSH_BYTES;
  }

  flush(): Promise<void> {
    return this.producer.flush();
  }

  async acknowledged(): Promise<Map<number, number>> {
    return this.producer.acknowledged(this.topic);
  }

  async close(): Promise<void> {
    this.producer.close();
  }
}

class KafkajsReplayProducer implements ProducerLike {
  readonly client = 'kafkajs';
  private messages: Message[] = [];
  private dlq: Message[] = [];
  private bytes = 0;

  private constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly topic: string,
    readonly warnings: string[],
    /** kafkajs' CompressionTypes number: the same ids as the batch attributes. */
    private readonly codec: number,
  ) {}

  static async open(kafka: Kafka, topic: string, warnings: string[], codec: number): Promise<ProducerLike> {
    const producer = kafka.producer({
      idempotent: true,
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    return new KafkajsReplayProducer(kafka, producer, topic, warnings, codec);
  }

  append(keys: ByteField, values: ByteField, i: number, lineage: Lineage, row: number): void {
    // Copies: the bytes are held in a DuckDB chunk, and kafkajs keeps them until the send.
    const value = copyOfField(values, i) ?? Buffer.alloc(0);
    this.messages.push({
      key: copyOfField(keys, i),
      value,
      headers: { 'clickpulse.source': lineage.source, 'clickpulse.row': String(row) },
    });
    this.bytes += value.length + 120;
  }

  appendDlq(value: string, headers: [string, string][]): void {
    this.dlq.push({ key: null, value, headers: Object.fromEntries(headers) });
    this.bytes += value.length;
  }

  get due(): boolean {
    return this.messages.length + this.dlq.length >= FLUSH_ROWS || this.bytes >= FLUSH_BYTES;
  }

  async flush(): Promise<void> {
    const [messages, dlq] = [this.messages, this.dlq];
    this.messages = [];
    this.dlq = [];
    this.bytes = 0;
    const compression = this.codec;
    await Promise.all([
      messages.length ? this.producer.send({ topic: this.topic, acks: -1, messages, compression }) : null,
      dlq.length ? this.producer.send({ topic: DLQ_TOPIC, acks: -1, messages: dlq, compression }) : null,
    ]);
  }

  /** kafkajs does not say how many records of a send went to each partition: the topic's end offsets do. */
  async acknowledged(): Promise<Map<number, number>> {
    return endOffsets(this.kafka, this.topic);
  }

  async close(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
  }
}
