import { z } from 'zod';
import { call, type CallSpec } from './define';
import { CanonicalField, ReplayProgress } from './replay';

// The Workbench's record of replay runs: each run's time series and summary, kept in the config folder so
// the Monitor's chart survives navigation, reloads and restarts (see pipeline/replay/history/).

/** One sample of a run: rates in rows per second, lag in messages, freshness in seconds. */
export const RunPoint = z.object({
  /** Milliseconds since the epoch (the end of the period the point covers). */
  at: z.number(),
  /** Rows the replay sent per second over the period. */
  produced: z.number(),
  /** Rows per second taken into Bronze and Silver (null: no lake consumer on the run's topic). */
  bronze: z.number().nullable(),
  silver: z.number().nullable(),
  /** Messages on the topic not yet in Bronze. */
  lag: z.number().nullable(),
  bronzeFreshness: z.number().nullable(),
  goldFreshness: z.number().nullable(),
});
export type RunPoint = z.infer<typeof RunPoint>;

export const RunSummary = z.object({
  runId: z.string(),
  path: z.string(),
  topic: z.string(),
  state: ReplayProgress.shape.state,
  startedAt: z.string(),
  /** When the replay ended (completed, stopped or failed); null while it runs. */
  endedAt: z.string().nullable(),
  rowsSent: z.number(),
  rowsRejected: z.number(),
  resumedFrom: z.number(),
  durationSeconds: z.number(),
  /** Rows sent per second over the whole run. */
  averageRate: z.number(),
  /** The asked-for pace: a fixed rate, a speed-up of event time, or max (neither). */
  targetRate: z.number().nullable(),
  targetSpeed: z.number().nullable(),
  /** Event-time seconds replayed per wall-clock second, when event times were seen. */
  achievedSpeed: z.number().nullable(),
  /** False when a target was set and the run stayed below 90 % of it; null without a target. */
  targetMet: z.boolean().nullable(),
  /** The stage that held the run back most often ('replay' = reading and sending the file). */
  bottleneck: z.string().nullable(),
  /** A sentence for the Monitor when the target was not met, naming the bottleneck. */
  warning: z.string().nullable(),
  /** Rows the lake held in Bronze and Silver when the run started, so the Monitor shows this run's share. */
  lakeAtStart: z.object({ bronzeRows: z.number(), silverRows: z.number() }).nullable(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const RunSeries = z.object({ run: RunSummary, points: z.array(RunPoint) });
export type RunSeries = z.infer<typeof RunSeries>;

export const ResumePoint = z.object({
  /** Rows an earlier run of the same file, topic, mapping and window got through. */
  rowsDone: z.number(),
  /** Rows the file was estimated to hold then (null: not known). */
  estimatedRows: z.number().nullable(),
  completed: z.boolean(),
  updatedAt: z.string(),
});
export type ResumePoint = z.infer<typeof ResumePoint>;

export const historyCalls = {
  'replay.history': call(
    'Past and current replay runs, newest first (file, topic, rows, duration, average rate, outcome).',
    z.object({ limit: z.number().int().min(1).max(200).default(50) }).strict(),
    z.array(RunSummary),
  ),
  'replay.series': call(
    "A run's time series (produced, consumed per layer, lag, freshness) for the whole run; the current or last run when runId is omitted.",
    z.object({ runId: z.string().min(1).optional() }).strict(),
    RunSeries.nullable(),
  ),
  'replay.resumePoint': call(
    'Where a replay of this file onto this topic (same mapping, window, order and key) would resume, or null.',
    z
      .object({
        path: z.string().min(1),
        topic: z.string().min(1),
        mapping: z.partialRecord(CanonicalField, z.string()).optional(),
        constantEventType: z.string().min(1).nullable().optional(),
        from: z.iso.datetime({ offset: true }).optional(),
        to: z.iso.datetime({ offset: true }).optional(),
        order: z.enum(['file', 'event_time']).default('file'),
        key: z.enum(['user_id', 'user_session', 'none']).default('user_id'),
      })
      // The other replay.start options do not change where a replay resumes: a whole request is accepted.
      .strip(),
    ResumePoint.nullable(),
  ),
} satisfies Record<string, CallSpec>;
