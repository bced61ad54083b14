import type { ExternalBrokers } from '../contract';

/** Where a Kafka client connects: the embedded broker's address, or external servers with optional TLS and SASL. */
export interface KafkaTarget {
  bootstrap: string;
  ssl?: boolean;
  sasl?: ExternalBrokers['sasl'];
}

/** Where replay and the lake consumer connect: external servers when given, else the embedded broker (started on demand). */
export async function resolveTarget(
  brokers: ExternalBrokers | undefined,
  embedded: () => Promise<string>,
): Promise<KafkaTarget> {
  if (!brokers) return { bootstrap: await embedded() };
  return { bootstrap: brokers.bootstrap, ssl: brokers.ssl, ...(brokers.sasl ? { sasl: brokers.sasl } : {}) };
}

/** "a:1, b:2" → [{host a, port 1}, {host b, port 2}]; a clear message for anything else. */
export function bootstrapServers(target: KafkaTarget): { host: string; port: number }[] {
  const servers = target.bootstrap
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((server) => {
      const at = server.lastIndexOf(':');
      const port = Number(server.slice(at + 1));
      if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535)
        throw new Error(`Bootstrap server "${server}" is not host:port.`);
      return { host: server.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port };
    });
  if (servers.length === 0) throw new Error('No bootstrap server given.');
  return servers;
}
