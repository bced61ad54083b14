import { z } from 'zod';
import { call, event, type CallSpec, type EventSpec } from './define';

// Calls and events of the broker domain: every schema of this domain lives in this file.

export const BrokerStatus = z.object({
  state: z.enum(['stopped', 'starting', 'running', 'stopping', 'failed']),
  host: z.string(),
  port: z.number().int(),
  /** host:port, what Kafka clients take as bootstrap servers. */
  bootstrap: z.string(),
  dataDir: z.string(),
  startedAt: z.string().nullable(),
  /** Why the last start failed, in words (e.g. the port is taken). */
  error: z.string().nullable(),
  /** When the port was taken: a port that is free now, for the UI to offer. */
  freePort: z.number().int().nullable(),
  /** Clients must use TLS (security.protocol SSL or SASL_SSL). */
  tls: z.boolean(),
  /** SASL mechanisms clients must authenticate with; empty = no authentication. */
  saslMechanisms: z.array(z.string()),
});
export type BrokerStatus = z.infer<typeof BrokerStatus>;

/**
 * How the embedded broker listens: loopback without TLS or SASL by default. Another interface needs TLS or
 * SASL; files are PEM (certificate and key) and the JSON users file README describes.
 */
export const BrokerSecurityOptions = z
  .object({
    host: z.string().min(1).default('127.0.0.1').describe('interface to listen on'),
    tlsCertFile: z.string().min(1).optional().describe('PEM certificate (chain) file'),
    tlsKeyFile: z.string().min(1).optional().describe('PEM private key file'),
    saslUsersFile: z.string().min(1).optional().describe('JSON users file'),
  })
  .strict();
export type BrokerSecurityOptions = z.infer<typeof BrokerSecurityOptions>;

export const PartitionInfo = z.object({
  partition: z.number().int(),
  logStartOffset: z.number(),
  logEndOffset: z.number(),
  sizeBytes: z.number(),
  segments: z.number().int(),
});

export const TopicInfo = z.object({
  name: z.string(),
  partitions: z.array(PartitionInfo),
  /** Messages retained: the sum over partitions of end − start. */
  messages: z.number(),
  sizeBytes: z.number(),
  settings: z.record(z.string(), z.string()),
});
export type TopicInfo = z.infer<typeof TopicInfo>;

export const GroupInfo = z.object({
  groupId: z.string(),
  state: z.string(),
  protocolType: z.string(),
  protocol: z.string(),
  generationId: z.number().int(),
  leader: z.string(),
  members: z.array(
    z.object({
      memberId: z.string(),
      clientId: z.string(),
      clientHost: z.string(),
      assignments: z.array(z.object({ topic: z.string(), partitions: z.array(z.number().int()) })).nullable(),
    }),
  ),
  offsets: z.array(
    z.object({
      topic: z.string(),
      partition: z.number().int(),
      committedOffset: z.number(),
      logEndOffset: z.number().nullable(),
      lag: z.number().nullable(),
    }),
  ),
  totalLag: z.number(),
});
export type GroupInfo = z.infer<typeof GroupInfo>;

export const BrokerOverview = z.object({
  status: BrokerStatus,
  topics: z.array(TopicInfo),
  groups: z.array(GroupInfo),
  connections: z.number().int(),
  requests: z.number(),
  bytesIn: z.number(),
  bytesOut: z.number(),
});
export type BrokerOverview = z.infer<typeof BrokerOverview>;

export const BrokerMessage = z.object({
  offset: z.number(),
  timestamp: z.string(),
  /** Text when the bytes are UTF-8, else base64 (see encoding). Null = no key/value. */
  key: z.string().nullable(),
  value: z.string().nullable(),
  encoding: z.enum(['utf8', 'base64']),
  headers: z.array(z.object({ key: z.string(), value: z.string().nullable() })),
  sizeBytes: z.number().int(),
});
export type BrokerMessage = z.infer<typeof BrokerMessage>;

export const MessageRange = z.object({
  topic: z.string().min(1),
  partition: z.number().int().min(0),
  /** First offset to read; omitted (and no timestamp) = the last `limit` messages. */
  offset: z.number().int().min(0).optional(),
  /** Start at the first message at or after this time (ms since the epoch); ignored when offset is given. */
  timestamp: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(1000).default(100),
});
export type MessageRange = z.infer<typeof MessageRange>;

export const MessagePage = z.object({
  topic: z.string(),
  partition: z.number().int(),
  logStartOffset: z.number(),
  logEndOffset: z.number(),
  messages: z.array(BrokerMessage),
  /** Batches compressed with a codec we cannot read here are listed, not decoded. */
  note: z.string().nullable(),
});
export type MessagePage = z.infer<typeof MessagePage>;

export const ResetTarget = z.union([
  z.literal('earliest'),
  z.literal('latest'),
  z.object({ timestamp: z.number().int().min(0) }).strict(),
]);
export type ResetTarget = z.infer<typeof ResetTarget>;

export const ResetOffsetsRequest = z
  .object({ groupId: z.string().min(1), topic: z.string().min(1), to: ResetTarget })
  .strict();
export type ResetOffsetsRequest = z.infer<typeof ResetOffsetsRequest>;

export const ResetOffsetsResult = z.object({
  groupId: z.string(),
  topic: z.string(),
  offsets: z.array(z.object({ partition: z.number().int(), offset: z.number() })),
});
export type ResetOffsetsResult = z.infer<typeof ResetOffsetsResult>;

// ---- topic and group administration (the same Kafka handlers clients reach, see broker/topic-admin.ts) ----

const TopicName = z
  .string()
  .regex(/^[a-zA-Z0-9._-]{1,249}$/, "Use 1 to 249 characters from a-z, A-Z, 0-9, '.', '_' and '-'.")
  .refine((n) => n !== '.' && n !== '..', 'A topic cannot be named "." or "..".');

/** The topic configs this broker lets you change; values in Kafka's units (milliseconds, bytes; -1 = no limit). */
export const EditableTopicConfig = z.enum(['retention.ms', 'retention.bytes', 'segment.bytes', 'segment.ms']);
export type EditableTopicConfig = z.infer<typeof EditableTopicConfig>;

export const CreateTopicRequest = z
  .object({
    name: TopicName,
    partitions: z.number().int().min(1).max(1000).default(1),
    retentionMs: z
      .number()
      .int()
      .min(-1)
      .optional()
      .describe('-1 = keep forever; default: the broker (7 days)'),
    retentionBytes: z
      .number()
      .int()
      .min(-1)
      .optional()
      .describe('per partition; -1 = no limit; default 1 GiB'),
  })
  .strict();
export type CreateTopicRequest = z.infer<typeof CreateTopicRequest>;

export const AddPartitionsRequest = z
  .object({ topic: z.string().min(1), count: z.number().int().min(2).max(1000).describe('the new total') })
  .strict();
export type AddPartitionsRequest = z.infer<typeof AddPartitionsRequest>;

export const DeleteRecordsRequest = z
  .object({
    topic: z.string().min(1),
    partition: z.number().int().min(0),
    beforeOffset: z.number().int().min(0).describe('every record below this offset is deleted'),
  })
  .strict();
export type DeleteRecordsRequest = z.infer<typeof DeleteRecordsRequest>;

export const DeleteRecordsResult = z.object({
  topic: z.string(),
  partition: z.number().int(),
  logStartOffset: z.number(),
});
export type DeleteRecordsResult = z.infer<typeof DeleteRecordsResult>;

export const TopicConfigRequest = z
  .object({
    topic: z.string().min(1),
    configs: z
      .array(
        z.object({
          name: EditableTopicConfig,
          value: z.string().nullable().describe('null = back to the default'),
        }),
      )
      .min(1),
  })
  .strict();
export type TopicConfigRequest = z.infer<typeof TopicConfigRequest>;

export const brokerCalls = {
  'broker.status': call('Whether the embedded broker runs, and where.', z.object({}).strict(), BrokerStatus),
  'broker.start': call(
    'Start the embedded broker (port from the request, else settings, else 9092; data in the app folder).',
    z
      .object({
        port: z.number().int().min(0).max(65535).optional().describe('0 = any free port'),
        security: BrokerSecurityOptions.optional().describe(
          'TLS, SASL and the interface; default: loopback only',
        ),
      })
      .strict(),
    BrokerStatus,
  ),
  'broker.stop': call(
    'Stop the embedded broker; its data stays on disk.',
    z.object({}).strict(),
    BrokerStatus,
  ),
  'broker.overview': call(
    'Topics with partitions, offsets and sizes; groups with members, assignments, committed offsets and lag.',
    z.object({}).strict(),
    BrokerOverview,
  ),
  'broker.messages': call(
    'Read a range of messages from one partition, from an offset, a time, or the newest.',
    MessageRange.strict(),
    MessagePage,
  ),
  'broker.resetOffsets': call(
    "Move a consumer group's committed offsets of a topic to earliest, latest or a time (the group must have no members).",
    ResetOffsetsRequest,
    ResetOffsetsResult,
  ),
  'broker.createTopic': call(
    'Create a topic on the embedded broker, with its partition count and optionally its retention.',
    CreateTopicRequest,
    TopicInfo,
  ),
  'broker.deleteTopic': call(
    'Delete a topic, its messages and the committed offsets of every group on it.',
    z.object({ name: z.string().min(1) }).strict(),
    z.object({ name: z.string() }),
  ),
  'broker.addPartitions': call(
    "Raise a topic's partition count (partitions can only be added; keys may then map to other partitions).",
    AddPartitionsRequest,
    TopicInfo,
  ),
  'broker.deleteRecords': call(
    'Delete the records of a partition below an offset: its log start offset moves there, for good.',
    DeleteRecordsRequest,
    DeleteRecordsResult,
  ),
  'broker.deleteGroup': call(
    'Delete a consumer group that has no members, with its committed offsets.',
    z.object({ groupId: z.string().min(1) }).strict(),
    z.object({ groupId: z.string() }),
  ),
  'broker.setTopicConfig': call(
    "Change a topic's retention or segment settings (applied at once, kept across restarts).",
    TopicConfigRequest,
    TopicInfo,
  ),
} satisfies Record<string, CallSpec>;

export const brokerEvents = {
  'broker.status': event('The embedded broker started, stopped or failed.', BrokerStatus),
} satisfies Record<string, EventSpec>;
