import type {
  GroupInfo,
  MessagePage,
  MessageRange,
  ResetOffsetsRequest,
  ResetOffsetsResult,
  TopicInfo,
} from '../../contract/broker';
import type { BrokerConfig } from '../config';
import type { BrokerStats } from '../broker';
import type { AdminCall } from '../topic-admin';

/** What the app thread asks the broker's worker thread, and what it answers. */
export type HostRequest =
  | { id: number; op: 'start'; config: BrokerConfig }
  | { id: number; op: 'overview' }
  | { id: number; op: 'messages'; range: MessageRange }
  | { id: number; op: 'resetOffsets'; reset: ResetOffsetsRequest }
  | { id: number; op: 'admin'; call: AdminCall }
  | { id: number; op: 'stop' };

export interface Overview {
  topics: TopicInfo[];
  groups: GroupInfo[];
  stats: BrokerStats;
}

/** An admin call's answer: the topic it changed, as the overview shows it, or its own result. */
export interface AdminValue {
  topic: TopicInfo | null;
  result: unknown;
}

export interface Started {
  host: string;
  port: number;
  tls: boolean;
  saslMechanisms: string[];
}

export type HostValue = Started | Overview | MessagePage | ResetOffsetsResult | AdminValue | null;

export type WorkerMessage =
  | { type: 'reply'; id: number; ok: true; value: HostValue }
  | {
      type: 'reply';
      id: number;
      ok: false;
      error: { name: string; message: string; freePort?: number | null };
    }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };
