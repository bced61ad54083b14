import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import {
  deriveScramCredential,
  MAX_SCRAM_ITERATIONS,
  MIN_SCRAM_ITERATIONS,
  SCRAM_MECHANISMS,
  type ScramCredential,
  type ScramMechanism,
} from './scram-credential';

/**
 * The SASL users file given to `clickpulse broker --sasl-users FILE`: JSON, one entry per user, either a
 * password (the broker derives SCRAM credentials from it when it starts and keeps only those) or the
 * derived SCRAM credentials themselves, so no password needs to be on disk at all:
 *
 *   { "users": {
 *       "alice": { "password": "alice-secret" },
 *       "bob":   { "SCRAM-SHA-256": { "salt": "<base64>", "iterations": 4096,
 *                                    "storedKey": "<base64>", "serverKey": "<base64>" },
 *                  "SCRAM-SHA-512": { … } } } }
 *
 * A user may log in with PLAIN and with every SCRAM mechanism it has a credential for (a password gives
 * both); PLAIN is checked against the stored credential, never against a kept password.
 */
const base64 = z
  .string()
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64')
  .transform((s) => Buffer.from(s, 'base64'));

const Credential = z
  .object({
    salt: base64,
    iterations: z.number().int().min(MIN_SCRAM_ITERATIONS).max(MAX_SCRAM_ITERATIONS),
    storedKey: base64,
    serverKey: base64,
  })
  .strict();

const User = z.union([
  z.object({ password: z.string().min(1) }).strict(),
  z
    .object({ 'SCRAM-SHA-256': Credential.optional(), 'SCRAM-SHA-512': Credential.optional() })
    .strict()
    .refine((u) => u['SCRAM-SHA-256'] || u['SCRAM-SHA-512'], 'needs "password" or a SCRAM credential'),
]);

const UsersFile = z
  .object({
    users: z.record(z.string().min(1), User).refine((u) => Object.keys(u).length > 0, 'lists no user'),
  })
  .strict();

export type UserCredentials = Partial<Record<ScramMechanism, ScramCredential>>;
export type SaslUsers = ReadonlyMap<string, UserCredentials>;

export class UsersFileError extends Error {
  override name = 'UsersFileError';
}

function parse(path: string): z.infer<typeof UsersFile> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsersFileError(`Cannot read the SASL users file ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // V8 quotes the start of the text ("Unexpected token 'd', "[default]…"... is not valid JSON"): the
    // file holds passwords, and the message may reach a page, so the quote is left out.
    const why = (err as Error).message.replace(/, ".*"(\.\.\.)? is not valid JSON$/s, '');
    throw new UsersFileError(`The SASL users file ${path} is not JSON: ${why}.`);
  }
  const parsed = UsersFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the file';
    throw new UsersFileError(
      `The SASL users file ${path} is invalid at ${where}: ${issue?.message ?? 'bad shape'}.`,
    );
  }
  return parsed.data;
}

export function loadSaslUsers(path: string): SaslUsers {
  const users = new Map<string, UserCredentials>();
  for (const [name, entry] of Object.entries(parse(path).users)) {
    if ('password' in entry) {
      users.set(
        name,
        Object.fromEntries(SCRAM_MECHANISMS.map((m) => [m, deriveScramCredential(m, entry.password)])),
      );
    } else {
      users.set(name, {
        ...(entry['SCRAM-SHA-256'] ? { 'SCRAM-SHA-256': entry['SCRAM-SHA-256'] } : {}),
        ...(entry['SCRAM-SHA-512'] ? { 'SCRAM-SHA-512': entry['SCRAM-SHA-512'] } : {}),
      });
    }
  }
  return users;
}

/** Rewrites the file with every password replaced by derived SCRAM credentials; returns how many were replaced. */
export function derivePasswordsInFile(path: string): number {
  const file = parse(path);
  let replaced = 0;
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, entry] of Object.entries(file.users)) {
    const creds: UserCredentials =
      'password' in entry
        ? Object.fromEntries(SCRAM_MECHANISMS.map((m) => [m, deriveScramCredential(m, entry.password)]))
        : entry;
    if ('password' in entry) replaced++;
    out[name] = Object.fromEntries(
      Object.entries(creds).map(([m, c]) => [
        m,
        {
          salt: c.salt.toString('base64'),
          iterations: c.iterations,
          storedKey: c.storedKey.toString('base64'),
          serverKey: c.serverKey.toString('base64'),
        },
      ]),
    );
  }
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ users: out }, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
  return replaced;
}
