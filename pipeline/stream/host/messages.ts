import type { StreamOptions, StreamStatus } from '../../contract';
import type { KafkaTarget } from '../../kafka';
import type { CompactionOptions } from '../bronze-compactor';
import type { BronzeWriterOptions } from '../bronze-writer';

/** What the lake worker needs to build its LakeStream (all plain data: it crosses a thread boundary). */
export interface LakeWorkerSetup {
  lake: string;
  options: StreamOptions;
  target: KafkaTarget;
  bronze?: Partial<BronzeWriterOptions>;
  compaction?: CompactionOptions;
  compactEveryMs?: number;
}

export type LakeRequest =
  | { id: number; op: 'start'; setup: LakeWorkerSetup }
  | { id: number; op: 'caughtUp'; ends: [number, number][]; timeoutMs: number }
  | { id: number; op: 'pause' }
  | { id: number; op: 'resume' }
  | { id: number; op: 'stop' };

export type LakeWorkerMessage =
  | { type: 'status'; status: StreamStatus }
  /** Next offset Bronze has not taken in, per partition: after every fetched batch and Bronze commit. */
  | { type: 'position'; positions: [number, number][] }
  | { type: 'reply'; id: number; ok: true; value: StreamStatus | null }
  | { type: 'reply'; id: number; ok: false; error: string };
