import { resolve } from 'node:path';

/** Parses a TCP port flag; returns the port, or a sentence explaining what is wrong. */
export function parsePort(value: unknown, fallback: number): number | string {
  if (value === undefined) return fallback;
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) > 65535)
    return `--port must be a whole number from 0 to 65535, not "${text}".`;
  return Number(text);
}

/** The flags with which `replay` and `stream` reach an external (or secured) Kafka, as for any real cluster. */
export const EXTERNAL_BROKER_OPTIONS = {
  brokers: { type: 'string' },
  tls: { type: 'boolean' },
  'tls-ca': { type: 'string' },
  'sasl-mechanism': { type: 'string' },
  'sasl-username': { type: 'string' },
  'sasl-password-env': { type: 'string' },
} as const;

export const EXTERNAL_BROKER_SYNOPSIS =
  '[--brokers HOST:PORT [--tls] [--tls-ca FILE] [--sasl-mechanism plain|scram-sha-256|scram-sha-512 --sasl-username USER --sasl-password-env VAR]]';

/**
 * The `brokers` option from those flags (to be checked by the contract's schema), nothing when --brokers is
 * absent, or a sentence saying what is wrong. The password is read from the environment variable named by
 * --sasl-password-env, so it never shows in the process list or the shell history.
 */
export function externalBrokersFromFlags(
  values: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): { brokers?: Record<string, unknown> } | string {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const bootstrap = text('brokers');
  const mechanism = text('sasl-mechanism');
  const username = text('sasl-username');
  const passwordEnv = text('sasl-password-env');
  const security = values.tls === true || text('tls-ca') || mechanism || username || passwordEnv;
  if (bootstrap === undefined) {
    return security
      ? '--tls, --tls-ca and --sasl-* describe an external cluster: give its address with --brokers HOST:PORT.'
      : {};
  }
  let sasl: Record<string, unknown> | undefined;
  if (mechanism || username || passwordEnv) {
    if (!mechanism || !username || !passwordEnv)
      return 'SASL needs all of --sasl-mechanism, --sasl-username and --sasl-password-env VAR.';
    const password = env[passwordEnv];
    if (password === undefined)
      return `--sasl-password-env ${passwordEnv}: the environment variable ${passwordEnv} is not set.`;
    sasl = { mechanism: mechanism.toLowerCase(), username, password };
  }
  return {
    brokers: {
      bootstrap,
      ssl: values.tls === true || text('tls-ca') !== undefined,
      ...(text('tls-ca') ? { tlsCa: resolve(text('tls-ca') as string) } : {}),
      ...(sasl ? { sasl } : {}),
    },
  };
}
