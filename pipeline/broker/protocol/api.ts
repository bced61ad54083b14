import type { Infer, Type } from './types';

/**
 * One Kafka API: its key, the versions this broker advertises, the first flexible version
 * (from apache/kafka's `flexibleVersions`; Infinity when none), and its two message descriptions.
 */
export interface Api<Req, Res> {
  key: number;
  name: string;
  minVersion: number;
  maxVersion: number;
  flexibleFrom: number;
  request: Type<Req>;
  response: Type<Res>;
}

export function defineApi<Req, Res>(api: Api<Req, Res>): Api<Req, Res> {
  return api;
}

export type RequestOf<A> = A extends Api<infer Req, unknown> ? Req : never;
export type ResponseOf<A> = A extends Api<unknown, infer Res> ? Res : never;
export type { Infer };
