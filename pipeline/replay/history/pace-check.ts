import type { ReplayOptions } from '../../contract';

/** A run below this share of its target did not meet it. */
const MET_SHARE = 0.9;
/** Shorter runs are not judged: their average is mostly start-up. */
const MIN_JUDGED_SECONDS = 5;

/** Where a run's time went, as the history saw it sample by sample. */
export interface PaceFacts {
  options: Pick<ReplayOptions, 'rate' | 'speed'> | null;
  rowsSent: number;
  durationSeconds: number;
  /** Event-time seconds covered between the first and the last event time seen … */
  eventSeconds: number | null;
  /** … and the wall-clock seconds between seeing them (start-up is not pacing). */
  eventWallSeconds?: number | null;
  /** Samples in which each stage held the run back ('replay': the lake kept up, the replay was slower). */
  stageCounts: Record<string, number>;
  heldBackSeconds: number;
}

export interface PaceVerdict {
  targetRate: number | null;
  targetSpeed: number | null;
  achievedSpeed: number | null;
  targetMet: boolean | null;
  bottleneck: string | null;
  warning: string | null;
}

const STAGE_WORDS: Record<string, string> = {
  replay: 'the replay itself (reading, pacing and sending the file)',
  broker: 'the broker',
  bronze: 'Bronze (the lake’s consumer; the replay waited for it)',
  silver: 'Silver (Bronze files waited for it)',
  gold: 'Gold (refreshes waited)',
};

const number = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Achieved against target and, when the target was missed, the stage that held the run back most. */
export function judgePace(f: PaceFacts): PaceVerdict {
  const targetRate = f.options?.rate ?? null;
  const targetSpeed = targetRate === null && typeof f.options?.speed === 'number' ? f.options.speed : null;
  const wall = f.eventWallSeconds ?? f.durationSeconds;
  const achievedSpeed = f.eventSeconds !== null && wall > 0 ? f.eventSeconds / wall : null;
  // The lake holds the replay back only through backpressure (it waits for Bronze); otherwise the
  // replay itself (reading the file, sending, pacing) is what fell short. The lake's own slowest stage is
  // told beside it: it decides how fresh the lake is, not how fast the replay goes.
  const [lakeStage] = Object.entries(f.stageCounts)
    .filter(([s]) => s !== 'replay')
    .reduce<[string | null, number]>((best, [s, n]) => (n > best[1] ? [s, n] : best), [null, 0]);
  const bottleneck = f.heldBackSeconds > f.durationSeconds / 10 ? 'bronze' : 'replay';
  const judged = f.durationSeconds >= MIN_JUDGED_SECONDS;
  let targetMet: boolean | null = null;
  let shortfall = '';
  if (judged && targetRate !== null) {
    const achieved = f.rowsSent / f.durationSeconds;
    targetMet = achieved >= MET_SHARE * targetRate;
    shortfall = `Target ${number(targetRate)} events/s not met: ${number(achieved)} events/s on average (${number((100 * achieved) / targetRate)} %).`;
  } else if (judged && targetSpeed !== null && achievedSpeed !== null) {
    targetMet = achievedSpeed >= MET_SHARE * targetSpeed;
    shortfall = `Target speed ×${number(targetSpeed)} not met: ×${number(achievedSpeed, 1)} on average.`;
  }
  const held =
    bottleneck === 'bronze' && f.heldBackSeconds > 0
      ? ` It waited ${number(f.heldBackSeconds, 1)} s for Bronze.`
      : '';
  const lake =
    bottleneck === 'replay' && lakeStage
      ? ` The lake’s slowest stage meanwhile: ${STAGE_WORDS[lakeStage] ?? lakeStage}.`
      : '';
  const warning =
    targetMet === false
      ? `${shortfall} Bottleneck: ${STAGE_WORDS[bottleneck] ?? bottleneck}.${held}${lake}`
      : null;
  return { targetRate, targetSpeed, achievedSpeed, targetMet, bottleneck, warning };
}
