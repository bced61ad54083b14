import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import { DLQ_TOPIC } from '../../contract';
import { ensureTopics, kafkaClient, type KafkaTarget } from '../../kafka';

/**
 * The replay's kafkajs producer: idempotent (a retried batch never lands twice), acks=all, Kafka's default
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
    let warnings: string[];
    try {
      ({ warnings } = await ensureTopics(kafka, [
        { topic, partitions },
        { topic: DLQ_TOPIC, partitions: 1 },
      ]));
    } catch (error) {
      throw new Error(
        `Cannot reach Kafka at ${target.bootstrap}: ${error instanceof Error ? error.message : String(error)}`,
      );
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
