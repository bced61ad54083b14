import pg from 'pg';
import { ApiError } from '../../contract/envelope';
import type { ConnectionFailure, ConnectionTest } from '../../contract/sink';
import { clientConfig, describeTarget, type ResolvedTarget } from './target';

/** A failed connection, classified so the UI and CLI can say what to fix. */
export class ConnectionError extends ApiError {
  constructor(
    readonly failure: ConnectionFailure,
    message: string,
  ) {
    super({ code: 'FAILED', message });
    this.name = 'ConnectionError';
  }
}

const NOT_SSL = 'The server does not support SSL connections';

/**
 * Opens one client. sslmode=prefer tries TLS first and falls back to a plain connection when the server has
 * none (libpq's behaviour). Every failure comes back as a ConnectionError naming its cause.
 */
export async function connect(target: ResolvedTarget): Promise<{ client: pg.Client; tls: boolean }> {
  const attempts =
    target.sslmode === 'disable' ? [false] : target.sslmode === 'prefer' ? [true, false] : [true];
  let last: unknown;
  for (const tls of attempts) {
    const client = new pg.Client(clientConfig(target, tls));
    // A server that goes away later emits 'error' on an idle client; the next query fails and says why.
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query("SET TIME ZONE 'UTC'");
      return { client, tls };
    } catch (error) {
      last = error;
      await client.end().catch(() => undefined);
      if (!(tls && target.sslmode === 'prefer' && errorText(error) === NOT_SSL)) break;
    }
  }
  throw classify(last, target);
}

/** Connects once and reports what happened; never throws for a connection problem. */
export async function testConnection(target: ResolvedTarget): Promise<ConnectionTest> {
  try {
    const { client, tls } = await connect(target);
    try {
      const version = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
      const serverVersion = `PostgreSQL ${version.rows[0]?.v ?? '?'}`;
      return {
        ok: true,
        failure: null,
        message: `Connected to ${describeTarget(target)} as ${target.user} (${serverVersion}${tls ? ', TLS' : ''}).`,
        serverVersion,
        tls,
      };
    } finally {
      await client.end().catch(() => undefined);
    }
  } catch (error) {
    const e = error instanceof ConnectionError ? error : classify(error, target);
    return { ok: false, failure: e.failure, message: e.message, serverVersion: null, tls: false };
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Maps a pg or socket error to its cause, by SQLSTATE or errno rather than by guessing from text. */
export function classify(error: unknown, t: ResolvedTarget): ConnectionError {
  if (error instanceof ConnectionError) return error;
  const where = describeTarget(t);
  const e = error as { code?: string; message?: string };
  const text = errorText(error);
  const socket: Record<string, string> = {
    ECONNREFUSED: 'connection refused: is PostgreSQL running and listening on that host and port?',
    ENOTFOUND: `host name "${t.host}" not found`,
    EAI_AGAIN: `host name "${t.host}" could not be resolved`,
    EHOSTUNREACH: 'no route to host',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: 'connection timed out',
    ECONNRESET: 'the server closed the connection',
  };
  if (e.code && socket[e.code]) {
    return new ConnectionError(
      'HOST_UNREACHABLE',
      `Cannot reach PostgreSQL at ${t.host}:${t.port}: ${socket[e.code]}.`,
    );
  }
  if (/timeout expired|Connection terminated due to connection timeout/i.test(text)) {
    return new ConnectionError(
      'HOST_UNREACHABLE',
      `Cannot reach PostgreSQL at ${t.host}:${t.port}: connection timed out.`,
    );
  }
  if (text === NOT_SSL) {
    return new ConnectionError(
      'TLS_UNAVAILABLE',
      `The server at ${t.host}:${t.port} does not accept TLS but sslmode is ${t.sslmode}: use sslmode=prefer or disable, or enable ssl on the server.`,
    );
  }
  if (
    /self[- ]signed|certificate|unable to verify|Hostname\/IP does not match/i.test(text) &&
    !e.code?.match(/^\d/)
  ) {
    return new ConnectionError(
      'TLS_CERTIFICATE',
      `The server's TLS certificate was rejected (${text}); with sslmode=${t.sslmode} it must be trusted${t.sslmode === 'verify-full' ? ' and match the host name' : ''}.`,
    );
  }
  if (
    /client password must be a string|password authentication failed.*no password|SASL.*password/i.test(text)
  ) {
    return new ConnectionError(
      'PASSWORD_MISSING',
      `PostgreSQL at ${where} asks user "${t.user}" for a password and none was given: set PGPASSWORD (or --password-env VAR) or save it in the app's keychain.`,
    );
  }
  switch (e.code) {
    case '28P01':
      return new ConnectionError(
        'AUTH_FAILED',
        `Password authentication failed for user "${t.user}" at ${where}${t.passwordSource ? ` (password from ${t.passwordSource})` : ''}.`,
      );
    case '28000':
      if (/no encryption/i.test(text)) {
        return new ConnectionError(
          'TLS_REQUIRED',
          `The server at ${t.host}:${t.port} accepts only TLS connections for this user and database: use sslmode=require (or verify-full).`,
        );
      }
      return new ConnectionError('AUTH_FAILED', `PostgreSQL refused user "${t.user}" at ${where}: ${text}.`);
    case '3D000':
      return new ConnectionError(
        'DATABASE_MISSING',
        `Database "${t.database}" does not exist on ${t.host}:${t.port}: create it (CREATE DATABASE ${t.database}) or choose another.`,
      );
    case '42501':
      return new ConnectionError(
        'PERMISSION_DENIED',
        `User "${t.user}" may not do this on ${where}: ${text}.`,
      );
  }
  return new ConnectionError('OTHER', `PostgreSQL at ${where}: ${text}`);
}

/** A failure of the connection itself (server gone, restarted, network), as opposed to a refused statement. */
export function isConnectionLoss(error: unknown): boolean {
  if (error instanceof ConnectionError) return true;
  const e = error as { code?: string; message?: string };
  if (e.code && /^(08|57P0)/.test(e.code)) return true;
  if (e.code && /^E[A-Z]+$/.test(e.code)) return true;
  return /Connection terminated|not queryable|ECONNRESET|EPIPE/i.test(e.message ?? '');
}
