import { z } from 'zod';
import { call, type CallSpec } from './define';
import { BrokerMessage } from './broker';

// Calls of the Topics screen that read or write a whole topic through the embedded broker: search over
// every partition, seeking by event time, producing a test message, and each group's lag over time.

export const TopicSearchRequest = z
  .object({
    topic: z.string().min(1),
    /**
     * `field = value` (a top-level JSON field of the value, or key / header.<name>), or text found as a
     * substring of the key, the headers and the value in its compact and pretty-printed JSON forms.
     */
    query: z.string().min(1).max(1000),
    /** Broker-time window, ms since the epoch (inclusive, exclusive). */
    fromTime: z.number().int().min(0).optional(),
    toTime: z.number().int().min(0).optional(),
    /** Stop after this many matches … */
    limit: z.number().int().min(1).max(1000).default(100),
    /** … or after reading this many messages in all. */
    maxScan: z.number().int().min(1).max(10_000_000).default(1_000_000),
  })
  .strict();
export type TopicSearchRequest = z.infer<typeof TopicSearchRequest>;

export const TopicSearchResult = z.object({
  topic: z.string(),
  matches: z.array(BrokerMessage.extend({ partition: z.number().int() })),
  /** Messages read across all partitions. */
  scanned: z.number(),
  /** True when the limit or maxScan stopped the search before the end. */
  truncated: z.boolean(),
  /** How the query was read, in words ("event_type = purchase", or "text “purchase”"). */
  understood: z.string(),
});
export type TopicSearchResult = z.infer<typeof TopicSearchResult>;

export const TimeSeekRequest = z
  .object({
    topic: z.string().min(1),
    partition: z.number().int().min(0),
    /** ms since the epoch */
    time: z.number().int().min(0),
    /** broker: the record timestamp; event: the value's event_time field. */
    by: z.enum(['broker', 'event']),
  })
  .strict();

export const TimeSeekResult = z.object({
  /** The first offset at or after the time, or the log end offset when every message is earlier. */
  offset: z.number(),
  by: z.enum(['broker', 'event']),
  /** What was found there, in words, e.g. which time the message at the offset carries. */
  note: z.string(),
  /** True when no message is at or after the time. */
  pastEnd: z.boolean(),
});
export type TimeSeekResult = z.infer<typeof TimeSeekResult>;

export const ProduceRequest = z
  .object({
    topic: z.string().min(1),
    partition: z.number().int().min(0).optional(),
    key: z.string().nullable().default(null),
    value: z.string().nullable(),
    headers: z
      .array(z.object({ key: z.string().min(1), value: z.string() }))
      .max(100)
      .default([]),
  })
  .strict();

export const ProduceResult = z.object({ topic: z.string(), partition: z.number().int(), offset: z.number() });

export const GroupLagSample = z.object({ at: z.number(), lag: z.number() });

export const topicToolCalls = {
  'topics.search': call(
    'Search every partition of a topic on the broker (optionally within a broker-time window), on the parsed JSON values.',
    TopicSearchRequest,
    TopicSearchResult,
  ),
  'topics.seekTime': call(
    'The first offset of a partition at or after a time: by broker timestamp, or by the value’s event_time.',
    TimeSeekRequest,
    TimeSeekResult,
  ),
  'topics.produce': call(
    'Produce one message (key, value, headers) onto a topic of the embedded broker, for testing.',
    ProduceRequest,
    ProduceResult,
  ),
  'topics.groupLag': call(
    "Each consumer group's total lag over time (sampled while the Topics or Monitor screen looks, kept in memory).",
    z.object({}).strict(),
    z.array(z.object({ groupId: z.string(), samples: z.array(GroupLagSample) })),
  ),
} satisfies Record<string, CallSpec>;
