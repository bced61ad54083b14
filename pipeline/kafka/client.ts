import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { registerKafkajsCodecs } from './compression';
import { bootstrapServers, type KafkaTarget } from './target';

/** The kafkajs client for a target: the embedded broker, or external servers with optional TLS and SASL. */
export function kafkaClient(target: KafkaTarget, clientId: string): Kafka {
  registerKafkajsCodecs();
  return new Kafka({
    clientId,
    brokers: bootstrapServers(target).map((s) => `${s.host}:${s.port}`),
    ssl: target.ssl ?? false,
    // Our schema allows exactly kafkajs' three username/password mechanisms.
    ...(target.sasl ? { sasl: target.sasl as SASLOptions } : {}),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 5000,
    retry: { retries: 5, initialRetryTime: 200 },
  });
}
