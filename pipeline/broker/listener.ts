import { readFileSync } from 'node:fs';
import { createServer as createPlainServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { brokerConfigProblem, type BrokerConfig } from './config';
import { deriveScramCredential } from './sasl/scram-credential';
import { loadSaslUsers, type SaslUsers } from './sasl/users-file';

export class BrokerSecurityError extends Error {
  override name = 'BrokerSecurityError';
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new BrokerSecurityError(`Cannot read the TLS ${what} ${path}: ${(err as Error).message}`);
  }
}

export interface Listener {
  server: Server;
  /** 'connection' for plain TCP, 'secureConnection' once TLS is set up: where a Kafka connection begins. */
  readyEvent: 'connection' | 'secureConnection';
  saslUsers: SaslUsers | null;
  tls: boolean;
}

/**
 * The broker's server socket as the config asks: plain TCP or TLS (node:tls with the user's certificate
 * and key), and the SASL users, loaded before anything listens so a bad file fails the start in words.
 */
export function createListener(config: BrokerConfig): Listener {
  const problem = brokerConfigProblem(config);
  if (problem) throw new BrokerSecurityError(problem);
  const saslUsers = config.saslUsersFile ? new Map(loadSaslUsers(config.saslUsersFile)) : null;
  const internal = config.saslInternalUser;
  if (saslUsers && internal) {
    saslUsers.set(internal.name, {
      'SCRAM-SHA-512': deriveScramCredential('SCRAM-SHA-512', internal.password),
    });
  }
  if (config.tlsCertFile && config.tlsKeyFile) {
    const cert = readPem(config.tlsCertFile, 'certificate');
    const key = readPem(config.tlsKeyFile, 'key');
    let server: Server;
    try {
      server = createTlsServer({
        cert,
        key,
        minVersion: 'TLSv1.2',
        // A TLS handshake is the first partial frame: it gets the same time to complete.
        handshakeTimeout: config.partialFrameTimeoutMs,
      });
    } catch (err) {
      throw new BrokerSecurityError(
        `The TLS certificate ${config.tlsCertFile} and key ${config.tlsKeyFile} cannot be used: ${(err as Error).message}`,
      );
    }
    return { server, readyEvent: 'secureConnection', saslUsers, tls: true };
  }
  return { server: createPlainServer(), readyEvent: 'connection', saslUsers, tls: false };
}

export type { Socket };
