import { z } from 'zod';
import { call, event, type CallSpec, type EventSpec } from './define';

// Calls and events of the sinks domain (Gold, optionally Silver, mirrored into a user's PostgreSQL).
// Every schema of this domain lives in this file.

export const SslMode = z.enum(['disable', 'prefer', 'require', 'verify-ca', 'verify-full']);
export type SslMode = z.infer<typeof SslMode>;

const Identifier = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case PostgreSQL name: letters, digits and "_"');

/**
 * Where the sink writes. Either `url` (postgres://user@host:port/db?sslmode=…) or the fields; fields given
 * beside a URL win. The password is never part of this object once saved: it comes from `passwordEnv` (CLI,
 * browser), the desktop app's keychain, or a password inside the URL used for this run only.
 */
export const PostgresTarget = z
  .object({
    url: z.string().min(1).optional(),
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    database: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    sslmode: SslMode.optional(),
    schema: Identifier.default('clickpulse'),
    /** Environment variable holding the password (default PGPASSWORD). */
    passwordEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .optional(),
  })
  .strict();
export type PostgresTarget = z.input<typeof PostgresTarget>;

export const SinkStartOptions = z
  .object({
    target: PostgresTarget,
    /** Mirror Silver's events too, as <schema>.silver_events partitioned by event_date. */
    silver: z.boolean().default(false),
    /** How often Gold's files are checked for a refresh. */
    pollMs: z.number().int().min(50).max(60_000).default(500),
  })
  .strict();
export type SinkStartOptions = z.input<typeof SinkStartOptions>;

/** Why a connection failed, precisely enough to fix it. */
export const ConnectionFailure = z.enum([
  'HOST_UNREACHABLE',
  'AUTH_FAILED',
  'PASSWORD_MISSING',
  'DATABASE_MISSING',
  'TLS_REQUIRED',
  'TLS_UNAVAILABLE',
  'TLS_CERTIFICATE',
  'PERMISSION_DENIED',
  'OTHER',
]);
export type ConnectionFailure = z.infer<typeof ConnectionFailure>;

export const ConnectionTest = z.object({
  ok: z.boolean(),
  failure: ConnectionFailure.nullable(),
  message: z.string(),
  /** "PostgreSQL 15.8" when connected. */
  serverVersion: z.string().nullable(),
  tls: z.boolean(),
});
export type ConnectionTest = z.infer<typeof ConnectionTest>;

export const SinkTableStatus = z.object({
  /** Target table, e.g. "funnel_daily" or "silver_events". */
  table: z.string(),
  rows: z.number(),
  lastSyncAt: z.string().nullable(),
  /** Gold has a refresh the database does not hold yet. */
  behind: z.boolean(),
  error: z.string().nullable(),
});

export const SinkStatus = z.object({
  state: z.enum(['stopped', 'starting', 'syncing', 'idle', 'retrying', 'failed']),
  /** host:port/database, schema; never the password. */
  target: z.string().nullable(),
  schema: z.string().nullable(),
  silver: z.boolean(),
  startedAt: z.string().nullable(),
  lastSyncAt: z.string().nullable(),
  /** Seconds since the oldest Gold refresh the database does not hold yet; 0 when caught up. */
  lagSeconds: z.number().nullable(),
  /** Seconds from a Gold refresh to its rows committed in PostgreSQL: p50/p95 over this run. */
  latencyP50: z.number().nullable(),
  latencyP95: z.number().nullable(),
  rowsCopied: z.number(),
  tables: z.array(SinkTableStatus),
  lastError: z.string().nullable(),
  /** When the next attempt runs while retrying. */
  retryAt: z.string().nullable(),
});
export type SinkStatus = z.infer<typeof SinkStatus>;

export const sinkCalls = {
  'sink.postgres.test': call(
    'Connect to a PostgreSQL once and say precisely why it failed (host, password, database, TLS).',
    z.object({ target: PostgresTarget }).strict(),
    ConnectionTest,
  ),
  'sink.postgres.start': call(
    'Start mirroring Gold (and Silver if asked) into PostgreSQL after every refresh, until stopped.',
    SinkStartOptions,
    SinkStatus,
  ),
  'sink.postgres.stop': call('Stop the PostgreSQL sink.', z.object({}).strict(), SinkStatus),
  'sink.postgres.status': call(
    'Status of the PostgreSQL sink: last sync, rows per table, lag, errors.',
    z.object({}).strict(),
    SinkStatus,
  ),
  'sink.postgres.sync': call(
    'Apply every Gold (and Silver) change now, once, and return; fails with the reason if it cannot.',
    SinkStartOptions,
    SinkStatus,
  ),
  'sink.postgres.savePassword': call(
    "Keep a target's password in the OS keychain (desktop app only); never in settings.",
    z.object({ target: PostgresTarget, password: z.string().min(1) }).strict(),
    z.object({ saved: z.boolean() }),
  ),
  'sink.postgres.rebuild': call(
    'Rebuild every sink table in PostgreSQL from the lake: new tables built aside, swapped in one transaction.',
    SinkStartOptions,
    z.object({ tables: z.record(z.string(), z.number()) }),
  ),
  'sink.postgres.config': call(
    'The last PostgreSQL target used (never with its password).',
    z.object({}).strict(),
    z.object({ options: SinkStartOptions.nullable() }),
  ),
} satisfies Record<string, CallSpec>;

export const sinkEvents = {
  'sink.status': event('The PostgreSQL sink synced, fell behind, or is retrying.', SinkStatus),
} satisfies Record<string, EventSpec>;
