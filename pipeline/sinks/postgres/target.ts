import type { ClientConfig } from 'pg';
import { ApiError } from '../../contract/envelope';
import { PostgresTarget, SslMode } from '../../contract/sink';
import type { z } from 'zod';

/** A target with every field filled in, ready to connect; the password lives only here, in memory. */
export interface ResolvedTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  sslmode: SslMode;
  schema: string;
  password: string | undefined;
  /** Where the password came from, for messages ("PGPASSWORD", "the URL", "the keychain"). */
  passwordSource: string | null;
}

/** Looks a password up by target; the desktop app backs it with the OS keychain (see secrets.ts). */
export type PasswordLookup = (
  target: Omit<ResolvedTarget, 'password' | 'passwordSource'>,
) => Promise<string | null> | string | null;

/**
 * Fills a target from its URL, its fields and the environment the way libpq does (PGHOST, PGPORT, PGUSER,
 * PGDATABASE, PGSSLMODE; fields win over the URL, the URL over the environment). The password: from the URL
 * if it holds one, else the keychain lookup, else the environment variable `passwordEnv` (default PGPASSWORD).
 */
export async function resolveTarget(
  input: z.input<typeof PostgresTarget>,
  options: { env?: NodeJS.ProcessEnv; lookup?: PasswordLookup } = {},
): Promise<ResolvedTarget> {
  const target = PostgresTarget.parse(input);
  const env = options.env ?? process.env;
  let fromUrl: Partial<ResolvedTarget> = {};
  if (target.url) fromUrl = parseUrl(target.url);
  const sslmode = SslMode.safeParse(target.sslmode ?? fromUrl.sslmode ?? env.PGSSLMODE ?? 'prefer');
  if (!sslmode.success) {
    throw new ApiError({
      code: 'VALIDATION',
      message: `sslmode must be one of ${SslMode.options.join(', ')}`,
    });
  }
  const base = {
    host: target.host ?? fromUrl.host ?? env.PGHOST ?? '127.0.0.1',
    port: target.port ?? fromUrl.port ?? (env.PGPORT ? Number(env.PGPORT) : 5432),
    database: target.database ?? fromUrl.database ?? env.PGDATABASE ?? '',
    user: target.user ?? fromUrl.user ?? env.PGUSER ?? env.USER ?? 'postgres',
    sslmode: sslmode.data,
    schema: target.schema,
  };
  if (!base.database) base.database = base.user;
  if (fromUrl.password !== undefined)
    return { ...base, password: fromUrl.password, passwordSource: 'the URL' };
  const stored = options.lookup ? await options.lookup(base) : null;
  if (stored !== null) return { ...base, password: stored, passwordSource: 'the keychain' };
  const variable = target.passwordEnv ?? 'PGPASSWORD';
  const value = env[variable];
  return value === undefined
    ? { ...base, password: undefined, passwordSource: null }
    : { ...base, password: value, passwordSource: variable };
}

function parseUrl(text: string): Partial<ResolvedTarget> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ApiError({ code: 'VALIDATION', message: `Not a PostgreSQL URL: ${redactUrl(text)}` });
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ApiError({
      code: 'VALIDATION',
      message: `A PostgreSQL URL starts with postgres:// (got ${url.protocol}//)`,
    });
  }
  const out: Partial<ResolvedTarget> = {};
  if (url.hostname) out.host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.port) out.port = Number(url.port);
  if (url.username) out.user = decodeURIComponent(url.username);
  if (url.password) out.password = decodeURIComponent(url.password);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database) out.database = database;
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode) out.sslmode = sslmode as SslMode;
  return out;
}

/** The URL with any password replaced, fit for logs and settings. */
export function redactUrl(text: string): string {
  return text.replace(/(\/\/[^/:@]*):[^@/]*@/, '$1:***@');
}

/** The target as saved to settings: the URL without its password. */
export function withoutPassword(input: z.input<typeof PostgresTarget>): z.input<typeof PostgresTarget> {
  if (!input.url) return input;
  try {
    const url = new URL(input.url);
    url.password = '';
    return { ...input, url: url.toString() };
  } catch {
    return { ...input, url: redactUrl(input.url) };
  }
}

export function describeTarget(t: Pick<ResolvedTarget, 'host' | 'port' | 'database'>): string {
  return `${t.host}:${t.port}/${t.database}`;
}

/** The pg client settings for one attempt; `tls` decides for sslmode=prefer (try TLS, then without). */
export function clientConfig(t: ResolvedTarget, tls: boolean): ClientConfig {
  const ssl =
    !tls || t.sslmode === 'disable'
      ? false
      : t.sslmode === 'verify-full'
        ? { rejectUnauthorized: true }
        : t.sslmode === 'verify-ca'
          ? { rejectUnauthorized: true, checkServerIdentity: () => undefined }
          : { rejectUnauthorized: false };
  return {
    host: t.host,
    port: t.port,
    database: t.database,
    user: t.user,
    ...(t.password !== undefined ? { password: t.password } : {}),
    ssl,
    connectionTimeoutMillis: 10_000,
    application_name: 'clickpulse-sink',
  };
}
