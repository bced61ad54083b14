import { randomBytes } from 'node:crypto';
import { decoyCredential, passwordMatches, SCRAM_MECHANISMS, type ScramMechanism } from './scram-credential';
import { ScramServer } from './scram-server';
import { SaslFailure } from './sasl-failure';
import type { SaslUsers } from './users-file';

export const SASL_MECHANISMS = ['PLAIN', ...SCRAM_MECHANISMS] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** The API keys a connection may send before it has authenticated (as Kafka: ApiVersions and the SASL pair). */
export const PRE_AUTH_API_KEYS: ReadonlySet<number> = new Set([18, 17, 36]);

/** One secret per broker process: decoy credentials for unknown users differ between brokers. */
const DECOY_SECRET = randomBytes(32);

export type SaslState = 'handshake' | 'authenticating' | 'authenticated';

/**
 * One connection's SASL state machine: SaslHandshake picks a mechanism, then each client token (raw after
 * handshake v0, in SaslAuthenticate after v1) is answered until the mechanism says done. Any failure is
 * final: the connection is refused and closed, as Kafka does.
 */
export class SaslAuthenticator {
  private stateNow: SaslState = 'handshake';
  private mechanism: SaslMechanism | null = null;
  private scram: ScramServer | null = null;
  principal: string | null = null;

  constructor(private readonly users: SaslUsers) {}

  get state(): SaslState {
    return this.stateNow;
  }

  /** Picks the mechanism; returns false (UNSUPPORTED_SASL_MECHANISM) when it is not one we offer. */
  handshake(mechanism: string): boolean {
    if (this.stateNow !== 'handshake') throw new SaslFailure('SaslHandshake received twice.');
    if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) return false;
    this.mechanism = mechanism as SaslMechanism;
    if (mechanism !== 'PLAIN') {
      const m = mechanism as ScramMechanism;
      this.scram = new ScramServer({
        mechanism: m,
        credentialOf: (user) => {
          const credential = this.users.get(user)?.[m];
          return credential
            ? { credential, known: true }
            : { credential: decoyCredential(m, DECOY_SECRET, user), known: false };
        },
      });
    }
    this.stateNow = 'authenticating';
    return true;
  }

  /** Answers one client token; throws SaslFailure when the client is refused. */
  async step(token: Buffer): Promise<Buffer> {
    if (this.stateNow !== 'authenticating') throw new SaslFailure('SASL token received outside an exchange.');
    if (this.scram) {
      const { reply, done } = this.scram.respond(token);
      if (done) this.succeed(this.scram.username);
      return reply;
    }
    await this.plain(token);
    return Buffer.alloc(0);
  }

  /** RFC 4616: authzid NUL authcid NUL password, checked against the user's stored SCRAM credential. */
  private async plain(token: Buffer): Promise<void> {
    const parts = token.toString('utf8').split('\0');
    if (parts.length !== 3)
      throw new SaslFailure('Invalid PLAIN token: expected authzid, user and password.');
    const [authzid, user, password] = parts as [string, string, string];
    if (authzid && authzid !== user)
      throw new SaslFailure(
        'Authentication failed: Client requested an authorization id that is different from username',
      );
    const creds = this.users.get(user);
    const mechanism = creds?.['SCRAM-SHA-512'] ? 'SCRAM-SHA-512' : 'SCRAM-SHA-256';
    const credential = creds?.[mechanism] ?? decoyCredential(mechanism, DECOY_SECRET, user);
    const ok = (await passwordMatches(mechanism, credential, password)) && creds !== undefined;
    if (!ok) throw new SaslFailure('Authentication failed: Invalid username or password');
    this.succeed(user);
  }

  private succeed(user: string): void {
    this.principal = user;
    this.stateNow = 'authenticated';
  }

  get chosenMechanism(): SaslMechanism | null {
    return this.mechanism;
  }
}
