import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, hmac, type ScramCredential, type ScramMechanism } from './scram-credential';
import { SaslFailure } from './sasl-failure';

/** `=2C` and `=3D` stand for "," and "=" in SCRAM user names (RFC 5802 §5.1). */
function decodeName(s: string): string {
  if (/=(?!2C|3D)/.test(s)) throw new SaslFailure('Invalid SCRAM user name encoding.');
  return s.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(',')) {
    const m = /^([A-Za-z])=(.*)$/s.exec(part);
    if (!m) throw new SaslFailure(`Invalid SCRAM message attribute "${part.slice(0, 20)}".`);
    out.set(m[1] as string, m[2] as string);
  }
  return out;
}

export interface ScramServerOptions {
  mechanism: ScramMechanism;
  /** The credential of a user; for unknown users a decoy, so they fail at the proof like a wrong password. */
  credentialOf(user: string): { credential: ScramCredential; known: boolean };
  /** Tests pin the server nonce to reproduce RFC 7677's example. */
  serverNonce?: string;
}

/**
 * The server side of one SCRAM exchange (RFC 5802, with RFC 7677's SHA-256 and Kafka's SHA-512):
 * client-first → server-first, client-final → server-final. Channel binding is not offered, as in Kafka.
 */
export class ScramServer {
  private step: 'first' | 'final' | 'done' = 'first';
  private gs2Header = '';
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private user = '';
  private credential: ScramCredential | null = null;
  private known = false;

  constructor(private readonly options: ScramServerOptions) {}

  get username(): string {
    return this.user;
  }

  /** Answers one client message; throws SaslFailure when the client must be refused. */
  respond(message: Buffer): { reply: Buffer; done: boolean } {
    const text = message.toString('utf8');
    if (this.step === 'first') return { reply: Buffer.from(this.first(text)), done: false };
    if (this.step === 'final') return { reply: Buffer.from(this.final(text)), done: true };
    throw new SaslFailure('SCRAM exchange is already complete.');
  }

  private first(message: string): string {
    const m = /^([ny]|p=[^,]*),(a=[^,]*)?,(.*)$/s.exec(message);
    if (!m) throw new SaslFailure('Invalid SCRAM client-first message.');
    if ((m[1] as string).startsWith('p=')) throw new SaslFailure('SCRAM channel binding is not supported.');
    this.gs2Header = `${m[1] as string},${m[2] ?? ''},`;
    this.clientFirstBare = m[3] as string;
    const attrs = attributes(this.clientFirstBare);
    const name = attrs.get('n');
    const clientNonce = attrs.get('r');
    if (!name || !clientNonce)
      throw new SaslFailure('SCRAM client-first message lacks the user name or nonce.');
    this.user = decodeName(name);
    const authzid = m[2]?.slice(2);
    if (authzid && decodeName(authzid) !== this.user)
      throw new SaslFailure('Authentication failed: authorization id differs from the user name.');
    const found = this.options.credentialOf(this.user);
    this.credential = found.credential;
    this.known = found.known;
    this.nonce = clientNonce + (this.options.serverNonce ?? randomBytes(24).toString('hex'));
    this.serverFirst = `r=${this.nonce},s=${this.credential.salt.toString('base64')},i=${this.credential.iterations}`;
    this.step = 'final';
    return this.serverFirst;
  }

  private final(message: string): string {
    const proofAt = message.lastIndexOf(',p=');
    if (proofAt < 0) throw new SaslFailure('SCRAM client-final message lacks the proof.');
    const withoutProof = message.slice(0, proofAt);
    const attrs = attributes(withoutProof);
    if (attrs.get('c') !== Buffer.from(this.gs2Header).toString('base64'))
      throw new SaslFailure('SCRAM channel binding data does not match the client-first message.');
    // Kafka accepts a final nonce that ends with the server's (librdkafka 2.0 sends the client nonce twice).
    if (!attrs.get('r')?.endsWith(this.nonce)) throw new SaslFailure('SCRAM nonce does not match.');
    const proof = Buffer.from(message.slice(proofAt + 3), 'base64');
    const { mechanism } = this.options;
    const credential = this.credential as ScramCredential;
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const clientSignature = hmac(mechanism, credential.storedKey, authMessage);
    this.step = 'done';
    const valid =
      proof.length === clientSignature.length &&
      timingSafeEqual(
        hash(mechanism, Buffer.from(proof.map((b, i) => b ^ (clientSignature[i] as number)))),
        credential.storedKey,
      );
    if (!valid || !this.known) {
      throw new SaslFailure(
        `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`,
      );
    }
    return `v=${hmac(mechanism, credential.serverKey, authMessage).toString('base64')}`;
  }
}
