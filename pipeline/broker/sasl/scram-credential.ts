import { createHash, createHmac, pbkdf2, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

export const SCRAM_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type ScramMechanism = (typeof SCRAM_MECHANISMS)[number];

/** Kafka accepts 4096–16384 iterations for SCRAM credentials; RFC 7677 asks for at least 4096. */
export const MIN_SCRAM_ITERATIONS = 4096;
export const MAX_SCRAM_ITERATIONS = 16384;

const HASH: Record<ScramMechanism, { name: 'sha256' | 'sha512'; bytes: number }> = {
  'SCRAM-SHA-256': { name: 'sha256', bytes: 32 },
  'SCRAM-SHA-512': { name: 'sha512', bytes: 64 },
};

/**
 * What the server keeps of a password (RFC 5802 §3): the salt, the iteration count, StoredKey = H(ClientKey)
 * and ServerKey. Neither key lets anyone log in without the password, yet both sides can prove themselves.
 */
export interface ScramCredential {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

export function hmac(mechanism: ScramMechanism, key: Buffer, data: Buffer | string): Buffer {
  return createHmac(HASH[mechanism].name, key).update(data).digest();
}

export function hash(mechanism: ScramMechanism, data: Buffer): Buffer {
  return createHash(HASH[mechanism].name).update(data).digest();
}

function fromSaltedPassword(
  mechanism: ScramMechanism,
  salted: Buffer,
  salt: Buffer,
  iterations: number,
): ScramCredential {
  return {
    salt,
    iterations,
    storedKey: hash(mechanism, hmac(mechanism, salted, 'Client Key')),
    serverKey: hmac(mechanism, salted, 'Server Key'),
  };
}

/**
 * Derives a credential from a password. Like Kafka's ScramFormatter, the password's UTF-8 bytes go into
 * PBKDF2 as they are (no SASLprep), so credentials match what Kafka's own tools would store.
 */
export function deriveScramCredential(
  mechanism: ScramMechanism,
  password: string,
  salt: Buffer = randomBytes(32),
  iterations = MIN_SCRAM_ITERATIONS,
): ScramCredential {
  const salted = pbkdf2Sync(
    Buffer.from(password, 'utf8'),
    salt,
    iterations,
    HASH[mechanism].bytes,
    HASH[mechanism].name,
  );
  return fromSaltedPassword(mechanism, salted, salt, iterations);
}

const pbkdf2Async = promisify(pbkdf2);

/** Whether a password (PLAIN) matches a stored credential: PBKDF2 off the event loop, constant-time compare. */
export async function passwordMatches(
  mechanism: ScramMechanism,
  credential: ScramCredential,
  password: string,
): Promise<boolean> {
  const { name, bytes } = HASH[mechanism];
  const salted = await pbkdf2Async(
    Buffer.from(password, 'utf8'),
    credential.salt,
    credential.iterations,
    bytes,
    name,
  );
  const candidate = fromSaltedPassword(mechanism, salted, credential.salt, credential.iterations);
  return timingSafeEqual(candidate.storedKey, credential.storedKey);
}

/** A credential no password matches, stable per user name, so unknown users fail exactly like wrong passwords. */
export function decoyCredential(mechanism: ScramMechanism, secret: Buffer, user: string): ScramCredential {
  return {
    salt: hmac(mechanism, secret, `salt:${user}`),
    iterations: MIN_SCRAM_ITERATIONS,
    storedKey: hmac(mechanism, secret, `stored:${user}`).subarray(0, HASH[mechanism].bytes),
    serverKey: hmac(mechanism, secret, `server:${user}`).subarray(0, HASH[mechanism].bytes),
  };
}
