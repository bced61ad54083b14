import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ConnectionOptions, PeerCertificate } from 'node:tls';
import { Kafka, logLevel, Partitioners, type Message, type Producer, type SASLOptions } from 'kafkajs';
import { DLQ_TOPIC, type ExternalBrokers } from '../../contract';

export interface KafkaTarget {
  bootstrap: string;
  ssl?: boolean;
  tlsCa?: string;
  /**
   * The embedded broker's own certificate file: the only one trusted (pinned), whatever host name it was
   * issued for, since the app reaches its broker on this machine by a loopback address.
   */
  tlsTrustCert?: string;
  sasl?: ExternalBrokers['sasl'];
}

/** Where replay and the lake consumer connect: external servers when given, else the embedded broker (started on demand). */
export async function resolveTarget(
  brokers: ExternalBrokers | undefined,
  embedded: () => Promise<KafkaTarget>,
): Promise<KafkaTarget> {
  if (!brokers) return embedded();
  return {
    bootstrap: brokers.bootstrap,
    // A CA to trust only makes sense over TLS: giving one turns TLS on.
    ssl: brokers.ssl || brokers.tlsCa !== undefined,
    ...(brokers.tlsCa ? { tlsCa: brokers.tlsCa } : {}),
    ...(brokers.sasl ? { sasl: brokers.sasl } : {}),
  };
}

function tlsOptions(target: KafkaTarget): boolean | ConnectionOptions {
  if (!target.ssl) return false;
  if (target.tlsTrustCert) return pinnedTls(target.tlsTrustCert);
  if (!target.tlsCa) return true;
  try {
    return { ca: [readFileSync(target.tlsCa, 'utf8')] };
  } catch (error) {
    throw new Error(`Cannot read the TLS CA file ${target.tlsCa}: ${(error as Error).message}`);
  }
}

function pinnedTls(certFile: string): ConnectionOptions {
  const pem = readFileSync(certFile, 'utf8');
  const fingerprint = new X509Certificate(pem).fingerprint256;
  return {
    // Trust this certificate itself, even when issued by a private CA (a partial chain), and nothing else.
    ca: [pem],
    allowPartialTrustChain: true,
    checkServerIdentity: (_host: string, cert: PeerCertificate) =>
      cert.fingerprint256 === fingerprint
        ? undefined
        : new Error('The broker presented another certificate than the one it was started with.'),
  };
}

/** The kafkajs client for a target: the embedded broker, or external servers with optional TLS and SASL. */
export function kafkaClient(target: KafkaTarget, clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: target.bootstrap
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    ssl: tlsOptions(target),
    // Our schema allows exactly kafkajs' three username/password mechanisms.
    ...(target.sasl ? { sasl: target.sasl as SASLOptions } : {}),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 5000,
    retry: { retries: 5, initialRetryTime: 200 },
  });
}

/**
 * The replay's producer: idempotent (a retried batch never lands twice), acks=all, Kafka's default
 * (murmur2) partitioner so one key always maps to one partition. It creates the topic and the DLQ if
 * missing, and says so when an existing topic has another partition count.
 */
export class ReplayProducer {
  private constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    readonly topic: string,
    readonly warnings: string[],
  ) {}

  static async open(target: KafkaTarget, topic: string, partitions: number): Promise<ReplayProducer> {
    const kafka = kafkaClient(target, 'clickpulse-replay');
    const admin = kafka.admin();
    const warnings: string[] = [];
    try {
      await admin.connect();
      const existing = new Set(await admin.listTopics());
      const wanted = [
        { topic, numPartitions: partitions },
        { topic: DLQ_TOPIC, numPartitions: 1 },
      ].filter((t) => !existing.has(t.topic));
      if (wanted.length) await admin.createTopics({ topics: wanted, waitForLeaders: true });
      if (existing.has(topic)) {
        const meta = await admin.fetchTopicMetadata({ topics: [topic] });
        const count = meta.topics[0]?.partitions.length ?? partitions;
        if (count !== partitions) {
          warnings.push(
            `Topic ${topic} already exists with ${count} partitions; replaying into those ${count}.`,
          );
        }
      }
    } catch (error) {
      throw new Error(
        `Cannot reach Kafka at ${target.bootstrap}: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    const producer = kafka.producer({
      idempotent: true,
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    return new ReplayProducer(kafka, producer, topic, warnings);
  }

  async send(messages: Message[]): Promise<void> {
    if (messages.length) await this.producer.send({ topic: this.topic, acks: -1, messages });
  }

  async sendDlq(messages: Message[]): Promise<void> {
    if (messages.length) await this.producer.send({ topic: DLQ_TOPIC, acks: -1, messages });
  }

  async close(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
    void this.kafka;
  }
}
