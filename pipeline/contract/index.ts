import type { z } from 'zod';
import { appCalls, appEvents } from './app';
import { brokerCalls, brokerEvents } from './broker';
import { dashboardCalls, dashboardEvents } from './dashboard';
import { datasetCalls, datasetEvents } from './dataset';
import { exploreCalls, exploreEvents } from './explore';
import { exportCalls, exportEvents } from './export';
import { historyCalls } from './history';
import { lakeCalls, lakeEvents } from './lake';
import { queryCalls, queryEvents } from './query';
import { replayCalls, replayEvents } from './replay';
import { sinkCalls, sinkEvents } from './sink';
import { topicToolCalls } from './topic-tools';
import type { CallSpec, EventSpec } from './define';

export * from './app';
export * from './broker';
export * from './dashboard';
export * from './dashboard-drill';
export * from './dataset';
export * from './explore';
export * from './export';
export * from './history';
export * from './lake';
export * from './query';
export * from './replay';
export * from './sink';
export * from './topic-tools';
export * from './define';
export * from './envelope';
export * from './wire';

/** Every call any transport can make. Each domain adds its own map here. */
export const calls = {
  ...appCalls,
  ...brokerCalls,
  ...replayCalls,
  ...datasetCalls,
  ...lakeCalls,
  ...queryCalls,
  ...exportCalls,
  ...sinkCalls,
  ...historyCalls,
  ...topicToolCalls,
  ...exploreCalls,
  ...dashboardCalls,
} satisfies Record<string, CallSpec>;

/** Every event stream. */
export const events = {
  ...appEvents,
  ...brokerEvents,
  ...replayEvents,
  ...datasetEvents,
  ...lakeEvents,
  ...queryEvents,
  ...exportEvents,
  ...sinkEvents,
  ...exploreEvents,
  ...dashboardEvents,
} satisfies Record<string, EventSpec>;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallRequest<K extends CallName> = z.input<Calls[K]['request']>;
export type CallResponse<K extends CallName> = z.output<Calls[K]['response']>;
/** What a handler receives: the request after zod parsing (defaults applied). */
export type ParsedRequest<K extends CallName> = z.output<Calls[K]['request']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]['payload']>;

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
