import { z } from 'zod';
import { call, event } from './define';
import type { CallSpec, EventSpec } from './define';

export const CanonicalField = z.enum([
  'event_time',
  'event_type',
  'product_id',
  'category_id',
  'category_code',
  'brand',
  'price',
  'user_id',
  'user_session',
  'order_id',
]);

export type CanonicalField = z.infer<typeof CanonicalField>;
export type Mapping = Partial<Record<CanonicalField, string>>;

/** A replay cannot start without these (event_type may instead be constant, as in a purchase history). */
export const REQUIRED_FIELDS: CanonicalField[] = ['event_time', 'event_type', 'user_id'];

/** Required fields that neither the mapping nor a constant event type supplies. */
export function missingRequired(mapping: Mapping, constantEventType?: string | null): CanonicalField[] {
  return REQUIRED_FIELDS.filter((f) => !mapping[f] && !(f === 'event_type' && constantEventType));
}

export const SourceInspection = z.object({
  path: z.string(),
  format: z.enum(['csv', 'parquet', 'json']),
  sizeBytes: z.number(),
  /** Column names with the types DuckDB detects. */
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  /** The first rows as text (IDs exact). */
  preview: z.array(z.array(z.string().nullable())),
  kind: z.enum(['rees46-behavior', 'rees46-purchases', 'click-log', 'custom']),
  /** Canonical field → source column. */
  mapping: z.partialRecord(CanonicalField, z.string()),
  /** Set when every row has the same event type (the REES46 purchase history: "purchase"). */
  constantEventType: z.string().nullable(),
  missingRequired: z.array(CanonicalField),
  message: z.string().nullable(),
});
export type SourceInspection = z.infer<typeof SourceInspection>;

export const DEFAULT_TOPIC = 'clickpulse_events';
export const DLQ_TOPIC = 'clickpulse_events_dlq';

/** External Kafka or Redpanda instead of the embedded broker: the same producer code. */
export const ExternalBrokers = z.object({
  bootstrap: z.string().min(1).describe('host:port[,host:port…]'),
  ssl: z.boolean().default(false),
  sasl: z
    .object({
      mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
      username: z.string().min(1),
      password: z.string(),
    })
    .optional(),
});
export type ExternalBrokers = z.infer<typeof ExternalBrokers>;

export const ReplayOptions = z.object({
  path: z.string().min(1),
  /** Canonical field → source column; omitted = the mapping replay.inspect proposes. */
  mapping: z.partialRecord(CanonicalField, z.string()).optional(),
  constantEventType: z.string().min(1).nullable().optional(),
  /** "max", or a speed-up of event time (1 = real time, 60 = a minute per second). */
  speed: z.union([z.literal('max'), z.number().positive().max(1e9)]).default('max'),
  /** A fixed rate in events per second instead of event-time pacing. */
  rate: z.number().positive().max(1e9).optional(),
  /** Event-time window (ISO-8601); rows outside are skipped. */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.number().int().positive().optional(),
  topic: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,249}$/, 'letters, digits, ".", "_" and "-" only')
    .default(DEFAULT_TOPIC),
  partitions: z.number().int().min(1).max(1000).default(3),
  key: z.enum(['user_id', 'user_session', 'none']).default('user_id'),
  /** "file": as written (REES46 is in event-time order); "event_time": DuckDB sorts first. */
  order: z.enum(['file', 'event_time']).default('file'),
  /** Continue after the checkpointed position of an earlier run of the same file and topic. */
  resume: z.boolean().default(true),
  brokers: ExternalBrokers.optional(),
  /** Record-batch compression on the wire and in the topic (omitted: none). */
  compression: z.enum(['none', 'gzip', 'lz4']).optional(),
  /** At most this many bytes kept in the topic when the replay creates it (omitted: 2 GiB). */
  retentionBytes: z
    .number()
    .int()
    .min(1024 * 1024)
    .optional(),
  /**
   * While the lake consumer runs, the producer stays at most this many seconds of data ahead of Bronze
   * (omitted: 3); null runs unthrottled, as a plain Kafka producer would.
   */
  aheadOfBronzeSeconds: z.number().positive().max(3600).nullable().optional(),
  /** Which producer: the lean batch producer (default; kafkajs when SASL is on) or kafkajs. */
  producer: z.enum(['lean', 'kafkajs']).optional(),
});
export type ReplayOptions = z.infer<typeof ReplayOptions>;

export const ReplayProgress = z.object({
  runId: z.string(),
  state: z.enum(['starting', 'running', 'paused', 'stopping', 'stopped', 'completed', 'failed']),
  path: z.string(),
  topic: z.string(),
  bootstrap: z.string(),
  /** Rows taken from the file (sent + rejected), counting resumed ones. */
  rowsRead: z.number(),
  rowsSent: z.number(),
  rowsRejected: z.number(),
  /** Rows skipped because an earlier run had sent them. */
  resumedFrom: z.number(),
  bytesRead: z.number(),
  totalBytes: z.number(),
  eventsPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  currentEventTime: z.string().nullable(),
  startedAt: z.string(),
  elapsedSeconds: z.number(),
  rejectReasons: z.array(z.object({ reason: z.string(), count: z.number() })),
  warnings: z.array(z.string()),
  error: z.string().nullable(),
  /** Waiting for the lake's Bronze writer to catch up (backpressure): Bronze is the bottleneck. */
  heldBackByBronze: z.boolean().optional(),
  /** Seconds this run has spent held back by Bronze so far. */
  heldBackSeconds: z.number().optional(),
});
export type ReplayProgress = z.infer<typeof ReplayProgress>;

const NoArgs = z.object({}).strict();

export const replayCalls = {
  'replay.inspect': call(
    'Read the start of a dataset file: format, detected types, first 100 rows, recognized layout, proposed mapping.',
    z.object({ path: z.string().min(1) }).strict(),
    SourceInspection,
  ),
  'replay.start': call(
    'Replay a dataset onto a Kafka topic (the embedded broker unless brokers is given); rows that do not parse go to clickpulse_events_dlq.',
    ReplayOptions.strict(),
    ReplayProgress,
  ),
  'replay.pause': call('Pause the running replay (its position is kept).', NoArgs, ReplayProgress),
  'replay.resume': call('Resume a paused replay.', NoArgs, ReplayProgress),
  'replay.stop': call(
    'Stop the replay; its position is checkpointed for a later resume.',
    NoArgs,
    ReplayProgress,
  ),
  'replay.status': call('The current or last replay, or null.', NoArgs, ReplayProgress.nullable()),
  'replay.generate': call(
    'Write a synthetic REES46-style clickstream into <configDir>/generated/ (same rows and seed, same file).',
    z
      .object({
        rows: z.number().int().min(1).max(2_000_000_000),
        seed: z.number().int().min(0).optional(),
        /** First day, YYYY-MM-DD (UTC). */
        start: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2019-10-01')
          .optional(),
      })
      .strict(),
    z.object({ path: z.string(), rows: z.number(), bytes: z.number() }),
  ),
} satisfies Record<string, CallSpec>;

export const replayEvents = {
  'replay.progress': event(
    'Progress of the replay, a few times a second and on every state change.',
    ReplayProgress,
  ),
} satisfies Record<string, EventSpec>;
