import { z } from 'zod';
import { call, event, type CallSpec, type EventSpec } from './define';
import { ExternalBrokers } from './replay';

// Calls and events of the lake domain (the streaming consumer topic → Bronze → Silver → Gold): every
// schema of this domain lives in this file.

export const DEFAULT_LAKE_GROUP = 'clickpulse-lake';

const LayerStatus = z.object({
  /** Rows in the layer (Bronze messages, Silver events). */
  rows: z.number(),
  /** Rows added per second, averaged over the last few seconds. */
  rowsPerSecond: z.number(),
  lastFlushAt: z.string().nullable(),
  files: z.number(),
});

export const PipelineStage = z.enum(['producer', 'broker', 'bronze', 'silver', 'gold']);
export type PipelineStage = z.infer<typeof PipelineStage>;

export const StreamStatus = z.object({
  state: z.enum(['stopped', 'starting', 'running', 'stopping', 'failed']),
  lake: z.string(),
  topic: z.string(),
  groupId: z.string(),
  bootstrap: z.string(),
  /** false: Bronze only; Silver and Gold are not built by this stream. */
  refine: z.boolean(),
  startedAt: z.string().nullable(),
  partitions: z.array(
    z.object({
      partition: z.number().int(),
      /** Next offset Bronze expects: everything before it is in Bronze files. */
      bronzeOffset: z.number(),
      endOffset: z.number().nullable(),
      lag: z.number().nullable(),
    }),
  ),
  bronze: LayerStatus,
  silver: LayerStatus.extend({ quarantined: z.number() }),
  gold: z.object({ lastFlushAt: z.string().nullable(), tables: z.number() }),
  /**
   * Seconds from an event reaching Kafka to the layer holding it: for the latest flush, and p50/p95 over this
   * run, each flush counted by its oldest event (the worst case in it).
   */
  freshness: z.object({
    bronzeSeconds: z.number().nullable(),
    goldSeconds: z.number().nullable(),
    bronzeP50: z.number().nullable(),
    bronzeP95: z.number().nullable(),
    goldP50: z.number().nullable(),
    goldP95: z.number().nullable(),
  }),
  /**
   * The pipeline stage holding the lake back, from the backlog in front of each stage: `bronze` (Kafka lag),
   * `silver` (Bronze files Silver has not taken in), `gold` (a refresh waiting), or `producer` when the lake
   * keeps up and waits for new events (a replay may say `broker` instead, from what it sees). Null when idle.
   */
  bottleneck: PipelineStage.nullable(),
  /** Messages deleted by the topic's retention before Bronze read them (also told in warnings). */
  lostMessages: z.number(),
  warnings: z.array(z.string()),
  lastError: z.string().nullable(),
});
export type StreamStatus = z.infer<typeof StreamStatus>;

export const StreamOptions = z.object({
  topic: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,249}$/)
    .default('clickpulse_events'),
  groupId: z.string().min(1).default(DEFAULT_LAKE_GROUP),
  /** External Kafka; default: the embedded broker. */
  brokers: ExternalBrokers.optional(),
  /**
   * false: land Bronze only (the fastest way to take in a big replay); Silver and Gold are built later
   * with `clickpulse build all` or by a stream started with refine on.
   */
  refine: z.boolean().default(true),
});
export type StreamOptions = z.infer<typeof StreamOptions>;

export const lakeCalls = {
  'stream.start': call(
    'Start the lake consumer: topic → Bronze (exactly once) → Silver → Gold, into the current lake folder.',
    StreamOptions.strict(),
    StreamStatus,
  ),
  'stream.stop': call(
    'Stop the lake consumer after flushing what it holds.',
    z.object({}).strict(),
    StreamStatus,
  ),
  'stream.status': call(
    'Offsets, lag, rows per layer, freshness and the last error.',
    z.object({}).strict(),
    StreamStatus,
  ),
} satisfies Record<string, CallSpec>;

export const lakeEvents = {
  'stream.status': event('The lake consumer’s status, about once a second while it runs.', StreamStatus),
} satisfies Record<string, EventSpec>;
