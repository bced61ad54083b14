import type { ReplayOptions, ReplayProgress } from '../../contract';
import type { KafkaTarget } from '../../kafka';

/** What the replay worker needs to build its ReplayRun (plain data: it crosses a thread boundary). */
export interface ReplayWorkerSetup {
  runId: string;
  options: ReplayOptions;
  target: KafkaTarget;
  checkpointsDir: string;
  /** Whether Bronze's position is pushed (backpressure); without it the run is unthrottled. */
  throttled: boolean;
}

export type ReplayRequest =
  | { op: 'start'; setup: ReplayWorkerSetup }
  | { op: 'pause' }
  | { op: 'resume' }
  | { op: 'stop' }
  /** Bronze's latest position on the run's topic (null: no lake consumer on it). */
  | { op: 'position'; positions: [number, number][] | null };

export type ReplayWorkerMessage =
  { type: 'progress'; progress: ReplayProgress } | { type: 'finished'; progress: ReplayProgress };
