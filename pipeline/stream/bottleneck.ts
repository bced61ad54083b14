import type { PipelineStage } from '../contract';

/** What the lake sees in front of each of its stages at one moment. */
export interface Backlogs {
  /** Messages on Kafka not yet in Bronze files (consumer lag plus what is buffered). */
  kafkaLag: number;
  bronzeRowsPerSecond: number;
  /** Bronze rows in files Silver has not taken in. */
  silverBacklog: number;
  silverRowsPerSecond: number;
  /** Seconds Gold has had changes waiting for a refresh, 0 when none. */
  goldWaitingSeconds: number;
  /** Whether anything reached the lake in the last few seconds. */
  active: boolean;
}

/** A backlog of less work than this, in seconds, is the normal pipelining between two stages. */
const SLACK_SECONDS = 3;

/**
 * The stage holding the lake back: the one with the most seconds of work queued in front of it (a backlog
 * divided by that stage's own rate). When none has more than the slack, the lake keeps up and waits for the
 * producer. Null while nothing flows.
 */
export function bottleneck(b: Backlogs): PipelineStage | null {
  const seconds = (rows: number, rate: number) => (rows <= 0 ? 0 : rows / Math.max(rate, 1));
  const queued: [PipelineStage, number][] = [
    ['bronze', seconds(b.kafkaLag, b.bronzeRowsPerSecond)],
    ['silver', seconds(b.silverBacklog, b.silverRowsPerSecond)],
    ['gold', b.goldWaitingSeconds],
  ];
  const [stage, worst] = queued.reduce((a, c) => (c[1] > a[1] ? c : a));
  if (worst > SLACK_SECONDS) return stage;
  return b.active ? 'producer' : null;
}
