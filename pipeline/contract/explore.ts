import { z } from 'zod';
import { call, type CallSpec, type EventSpec } from './define';
import { Column } from './query';

// Calls of the explore domain: search Silver, follow a journey, trace a Gold figure back to its source lines,
// and the data's quality. Every schema of this domain lives in this file.

/** A search: the query bar's text (see pipeline/explore/query-parser.ts for the syntax) and a time range. */
export const ExploreSearch = z
  .object({
    query: z.string().max(10_000).default(''),
    /** ISO-8601 instants; from is inclusive, to exclusive. */
    from: z.string().max(64).optional(),
    to: z.string().max(64).optional(),
  })
  .strict();
export type ExploreSearch = z.infer<typeof ExploreSearch>;

/**
 * Rows travel as JSON arrays in `columns` order: instants and dates as epoch milliseconds (the grid formats
 * them as UTC), decimals and offsets as numbers, ids as text.
 */
export const RowsPage = z.object({ columns: z.array(Column), rows: z.array(z.array(z.unknown())) });
export type RowsPage = z.infer<typeof RowsPage>;

export const Histogram = z.object({
  bucketSeconds: z.number(),
  /** [bucket start (epoch ms), events] for each non-empty bucket, in time order. */
  buckets: z.array(z.tuple([z.number(), z.number()])),
});
export type Histogram = z.infer<typeof Histogram>;

export const SearchResult = RowsPage.extend({
  total: z.number().int(),
  histogram: Histogram,
  /** The SQL that ran, with $n placeholders, and its bound values: user text never enters the SQL. */
  sql: z.string(),
  params: z.array(z.string()),
});
export type SearchResult = z.infer<typeof SearchResult>;

export const SavedSearch = ExploreSearch.extend({ name: z.string().min(1).max(200) });
export type SavedSearch = z.infer<typeof SavedSearch>;

export const JourneyRequest = z
  .object({
    /** Exactly one of these: the user, one of their sessions, or one of their events. */
    userId: z.string().min(1).max(200).optional(),
    sessionId: z.string().min(1).max(300).optional(),
    eventId: z.string().min(1).max(64).optional(),
    limit: z.number().int().min(1).max(100_000).default(5_000),
  })
  .strict();

export const Journey = z.object({
  userId: z.string(),
  /** The user's Gold row (gold.user_activity), or null before Gold is built. */
  user: z.record(z.string(), z.unknown()).nullable(),
  /** The user's sessions from gold.session_stats, oldest first. */
  sessions: RowsPage,
  /** The user's Silver events, oldest first, each with gap_s: seconds since the user's previous event. */
  events: RowsPage,
  totalEvents: z.number().int(),
});
export type Journey = z.infer<typeof Journey>;

/** Each Gold table's grain keys: the columns whose values name one of its rows (lineage.rows takes them). */
export const GOLD_GRAIN_KEYS: Record<string, string[]> = {
  traffic_minute: ['minute', 'event_type'],
  funnel_daily: ['event_date'],
  category_daily: ['event_date', 'category_l1', 'category_l2'],
  brand_daily: ['event_date', 'brand'],
  product_performance: ['product_id'],
  session_stats: ['session_id'],
  session_daily: ['event_date'],
  user_activity: ['user_id'],
  hourly_heatmap: ['day_of_week', 'hour'],
};

/**
 * A figure summed over several Gold rows (a KPI over a date range, a bar of a filtered dashboard) names its
 * Silver rows as conditions on grain keys — any Gold table's (event_date, minute, event_type, category_l1,
 * category_l2, brand, product_id, session_id, user_id, day_of_week, hour) or event_time — each one value of a
 * list or a range. "(none)" selects the rows Gold files under it (no brand, no category).
 */
export const LineageCondition = z
  .object({
    key: z.string().min(1).max(100),
    in: z.array(z.string().max(1_000)).min(1).max(1_000).optional(),
    /** Bounds: from and to inclusive, after and before exclusive. */
    from: z.string().max(64).optional(),
    to: z.string().max(64).optional(),
    after: z.string().max(64).optional(),
    before: z.string().max(64).optional(),
  })
  .strict()
  .refine((c) => c.in || c.from || c.to || c.after || c.before, {
    message: 'a condition needs values (in) or a bound (from, to, after, before)',
  });
export type LineageCondition = z.infer<typeof LineageCondition>;

/** Only the rows of sessions like these, judged over the rows the other conditions select (as the dashboard does). */
export const LineageSessions = z
  .object({
    viewed: z.boolean().optional(),
    carted: z.boolean().optional(),
    purchased: z.boolean().optional(),
    /** Session duration in whole seconds: at least min, less than max. */
    minDurationS: z.number().int().min(0).optional(),
    maxDurationS: z.number().int().min(0).optional(),
  })
  .strict();
export type LineageSessions = z.infer<typeof LineageSessions>;

export const LineageRequest = z
  .object({
    table: z.string().min(1).max(100),
    /**
     * The Gold row's grain keys as text, e.g. { event_date: "2019-10-01" }: all of them for one row; with
     * where or sessions, any of them (a key not given is any value).
     */
    key: z.record(z.string(), z.string().max(1_000)).default({}),
    where: z.array(LineageCondition).max(40).default([]),
    sessions: LineageSessions.optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(100_000).default(1_000),
  })
  .strict();
export type LineageRequest = z.input<typeof LineageRequest>;

export const LineageRows = RowsPage.extend({
  table: z.string(),
  grain: z.array(z.string()),
  total: z.number().int(),
  /** The Gold row itself (null when no row has those keys, or the drill is over several rows). */
  gold: z.record(z.string(), z.unknown()).nullable(),
  /** The selected rows re-aggregated: what the figure they are behind should say. */
  figures: z.object({
    events: z.number(),
    views: z.number(),
    carts: z.number(),
    purchases: z.number(),
    revenue: z.number(),
    /** Distinct sessions and users: for session tables and session conditions only (null otherwise). */
    sessions: z.number().nullable(),
    users: z.number().nullable(),
  }),
});
export type LineageRows = z.infer<typeof LineageRows>;

export const BronzeRecord = z.object({
  topic: z.string(),
  partition: z.number().int(),
  offset: z.number(),
  kafkaTimestamp: z.string().nullable(),
  key: z.string().nullable(),
  value: z.string(),
  headers: z.record(z.string(), z.string().nullable()),
  file: z.string(),
});
export type BronzeRecord = z.infer<typeof BronzeRecord>;

export const SourceLine = z.object({
  sourceId: z.string(),
  row: z.number().int(),
  /** The file the source id names, when this machine still has it unchanged; null otherwise. */
  path: z.string().nullable(),
  /** 1-based physical line in the file (the header is line 1), null when not found. */
  line: z.number().int().nullable(),
  text: z.string().nullable(),
  /** Why there is no line, when there is none. */
  note: z.string().nullable(),
});
export type SourceLine = z.infer<typeof SourceLine>;

export const RecordLineage = z.object({ bronze: BronzeRecord.nullable(), source: SourceLine.nullable() });
export type RecordLineage = z.infer<typeof RecordLineage>;

export const DqRequest = z
  .object({ from: z.string().max(64).optional(), to: z.string().max(64).optional() })
  .strict();

export const DqCount = z.object({
  /** YYYY-MM-DD (the event's day; the record's Kafka day when it has no valid event time). */
  day: z.string(),
  source: z.enum(['quarantine', 'dlq', 'dq_daily']),
  reason: z.string(),
  rows: z.number(),
});
export type DqCount = z.infer<typeof DqCount>;

export const DataQuality = z.object({
  counts: z.array(DqCount),
  /** Whether silver.dq_daily (duplicates, late events, rows without a session) has been computed yet. */
  dqDaily: z.enum(['computed', 'not yet computed']),
  silverRows: z.number(),
  dlqTopic: z.string(),
  /** Null when the DLQ topic could not be read (no broker running), with why. */
  dlqNote: z.string().nullable(),
  /** Per source file (replay run): events in Silver, quarantined, dead-lettered. */
  health: z.array(
    z.object({
      sourceId: z.string(),
      /** Messages of this source in Bronze (every copy the topic received). */
      bronze: z.number(),
      silver: z.number(),
      quarantined: z.number(),
      dlq: z.number(),
      /** Bronze messages Silver dropped as copies of an event it already has (bronze − silver − quarantined). */
      duplicates: z.number(),
    }),
  ),
});
export type DataQuality = z.infer<typeof DataQuality>;

export const DqRowsRequest = z
  .object({
    source: z.enum(['quarantine', 'dlq']),
    reason: z.string().max(2_000).optional(),
    day: z.string().max(10).optional(),
    limit: z.number().int().min(1).max(10_000).default(500),
  })
  .strict();

export const exploreCalls = {
  'explore.search': call(
    'Search Silver events with the query bar syntax: matches, their time histogram and the first page.',
    ExploreSearch.extend({ limit: z.number().int().min(0).max(10_000).default(200) }).strict(),
    SearchResult,
  ),
  'explore.page': call(
    'A window of a search’s matching events, newest first.',
    ExploreSearch.extend({
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(10_000),
    }).strict(),
    RowsPage.extend({ total: z.number().int() }),
  ),
  'explore.searches': call('The saved searches.', z.object({}).strict(), z.array(SavedSearch)),
  'explore.saveSearch': call('Save (or replace) a named search.', SavedSearch.strict(), z.array(SavedSearch)),
  'explore.deleteSearch': call(
    'Forget a saved search.',
    z.object({ name: z.string().min(1).max(200) }).strict(),
    z.array(SavedSearch),
  ),
  'explore.journey': call(
    'A user’s whole path: their events with gaps, their sessions and their Gold row.',
    JourneyRequest,
    Journey,
  ),
  'lineage.rows': call(
    'The Silver rows behind one Gold row (its grain keys as filters on Silver), or behind a figure over several (conditions on grain keys).',
    LineageRequest,
    LineageRows,
  ),
  'lineage.record': call(
    'One Silver row’s Bronze record (topic, partition, offset, value, headers) and its source line.',
    z
      .object({
        topic: z.string().min(1).max(300),
        partition: z.number().int().min(0),
        offset: z.number().int().min(0),
      })
      .strict(),
    RecordLineage,
  ),
  'dq.summary': call(
    'Data-quality counts per day and reason: quarantine, dead letters, and silver.dq_daily once computed.',
    DqRequest,
    DataQuality,
  ),
  'dq.rows': call(
    'The rows behind one data-quality count (quarantined records or dead letters with reason and raw row).',
    DqRowsRequest,
    RowsPage,
  ),
  'dq.resend': call(
    'Re-send a dead letter, fixed, onto the events topic (once), keeping its lineage headers.',
    z
      .object({
        offset: z.number().int().min(0),
        /** The fixed event: event_time, event_type, user_id and the other canonical fields. */
        event: z.record(z.string(), z.unknown()),
        topic: z.string().min(1).max(249).default('clickpulse_events'),
      })
      .strict(),
    z.object({ topic: z.string(), partition: z.number().int(), offset: z.number() }),
  ),
} satisfies Record<string, CallSpec>;

export const exploreEvents = {} satisfies Record<string, EventSpec>;
