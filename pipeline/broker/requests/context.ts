import type { BrokerConfig } from '../config';
import type { TopicStore } from '../core/topic-store';
import type { ProducerIds } from '../core/producer-ids';
import type { GroupCoordinator } from '../groups/coordinator';
import type { RequestHeader } from '../protocol/frame';
import type { AnyApi } from '../protocol/registry';
import type { RequestOf, ResponseOf } from '../protocol/api';
import type { FetchWaiters } from './fetch-waiters';

/** Everything a request handler may use; storage and groups know nothing of the protocol. */
export interface BrokerCore {
  config: BrokerConfig;
  topics: TopicStore;
  groups: GroupCoordinator;
  producerIds: ProducerIds;
  fetchWaiters: FetchWaiters;
  clusterId: string;
  /** SASL is on: ApiVersions advertises SaslHandshake and SaslAuthenticate. */
  saslEnabled: boolean;
  /** Where clients should connect: the address we listen on. */
  advertised(): { host: string; port: number };
}

export interface RequestContext {
  header: RequestHeader;
  version: number;
  clientHost: string;
  /** Aborted when the client's connection closes, so long polls and held joins end with it. */
  signal: AbortSignal;
}

/** A handler answers with the response body, or null when the protocol sends no response (acks=0). */
export type Handler<A extends AnyApi> = (
  request: RequestOf<A>,
  ctx: RequestContext,
  core: BrokerCore,
) => ResponseOf<A> | null | Promise<ResponseOf<A> | null>;
