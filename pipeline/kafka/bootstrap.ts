import { ApiVersions } from '../broker/protocol/messages/api-versions';
import type { ResponseOf } from '../broker/protocol/api';
import { KafkaConnection, type ClientApi } from './connection';
import { bootstrapServers, type KafkaTarget } from './target';
import { tlsOptions } from './tls';

/** Picks, for one API, the newest version both this client (min…max) and the broker speak; throws if none. */
export type VersionPicker = (key: number, range: readonly [number, number], name: string) => number;

/**
 * The first bootstrap server that answers, and what it offers: the lean producer and the lean fetcher open
 * their cluster the same way (no SASL: they fall back to kafkajs for that). Throws the last server's error
 * when none answers; closes the connection when the version exchange fails.
 */
export async function openBootstrap(
  target: KafkaTarget,
  clientId: string,
  timeoutMs?: number,
): Promise<{ conn: KafkaConnection; pick: VersionPicker }> {
  let conn: KafkaConnection | null = null;
  let lastError: unknown = null;
  for (const server of bootstrapServers(target)) {
    try {
      conn = await KafkaConnection.open(server.host, server.port, {
        clientId,
        tls: tlsOptions(target),
        ...(timeoutMs ? { timeoutMs } : {}),
      });
      break;
    } catch (error) {
      lastError = error;
    }
  }
  if (!conn) throw lastError instanceof Error ? lastError : new Error(String(lastError));
  const opened = conn;
  try {
    const offered = await opened.request<ResponseOf<typeof ApiVersions>>(ApiVersions as ClientApi, 0, {});
    const pick: VersionPicker = (key, [min, max], name) => {
      const api = offered.apiKeys.find((a) => a.apiKey === key);
      const version = api ? Math.min(max, api.maxVersion) : -1;
      if (!api || version < min || version < api.minVersion)
        throw new Error(`Kafka at ${opened.address} offers no ${name} version between v${min} and v${max}.`);
      return version;
    };
    return { conn: opened, pick };
  } catch (error) {
    opened.close();
    throw error;
  }
}
