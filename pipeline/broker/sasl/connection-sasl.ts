import { ErrorCode } from '../error-codes';
import type { AnyApi } from '../protocol/registry';
import { SaslAuthenticate } from '../protocol/messages/sasl-authenticate';
import { SaslHandshake } from '../protocol/messages/sasl-handshake';
import { PRE_AUTH_API_KEYS, SASL_MECHANISMS, SaslAuthenticator } from './authenticator';
import { SaslFailure } from './sasl-failure';
import type { SaslUsers } from './users-file';

type HandshakeResponse = { errorCode: number; mechanisms: string[] };
type AuthenticateResponse = {
  errorCode: number;
  errorMessage: string | null;
  authBytes: Buffer;
  sessionLifetimeMs: number;
};

/** A response for the client and, when the client is refused, the reason the connection closes after it. */
export interface SaslAnswer {
  response: HandshakeResponse | AuthenticateResponse;
  refuse: string | null;
}

function failureText(err: unknown): string {
  return err instanceof SaslFailure ? err.message : `Authentication failed: ${String(err)}`;
}

/**
 * The SASL side of one connection: which requests it may send yet, the answers to SaslHandshake and
 * SaslAuthenticate (v1 flow), and the bare tokens that follow SaslHandshake v0 (kafka-python's flow).
 */
export class ConnectionSasl {
  private readonly auth: SaslAuthenticator;
  private raw = false;

  constructor(users: SaslUsers) {
    this.auth = new SaslAuthenticator(users);
  }

  static handles(api: AnyApi): boolean {
    return api.key === SaslHandshake.key || api.key === SaslAuthenticate.key;
  }

  static allowedBeforeAuth(api: AnyApi): boolean {
    return PRE_AUTH_API_KEYS.has(api.key);
  }

  get authenticated(): boolean {
    return this.auth.state === 'authenticated';
  }

  /** True between SaslHandshake v0 and the end of the exchange: every frame is then a bare token. */
  get expectsRawToken(): boolean {
    return this.raw;
  }

  /** Answers SaslHandshake or SaslAuthenticate; `sasl` is null when the broker has SASL off. */
  static answer(
    sasl: ConnectionSasl | null,
    api: AnyApi,
    version: number,
    body: unknown,
  ): Promise<SaslAnswer> {
    if (api.key === SaslHandshake.key) {
      // Synchronous on purpose: after v0 the very next frame, maybe already buffered, is a bare token.
      return Promise.resolve(
        ConnectionSasl.handshake(sasl, version, (body as { mechanism: string }).mechanism),
      );
    }
    return ConnectionSasl.authenticate(sasl, (body as { authBytes: Buffer }).authBytes);
  }

  private static handshake(sasl: ConnectionSasl | null, version: number, mechanism: string): SaslAnswer {
    if (!sasl) {
      return {
        response: { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: [] },
        refuse: `SaslHandshake for ${mechanism}, but SASL is not enabled on this broker`,
      };
    }
    const mechanisms = [...SASL_MECHANISMS];
    let ok: boolean;
    try {
      ok = sasl.auth.handshake(mechanism);
    } catch (err) {
      return { response: { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms }, refuse: failureText(err) };
    }
    if (!ok) {
      return {
        response: { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms },
        refuse: `unsupported SASL mechanism ${mechanism} (this broker offers ${mechanisms.join(', ')})`,
      };
    }
    if (version === 0) sasl.raw = true;
    return { response: { errorCode: ErrorCode.NONE, mechanisms }, refuse: null };
  }

  private static async authenticate(sasl: ConnectionSasl | null, token: Buffer): Promise<SaslAnswer> {
    const refused = (errorCode: number, message: string): SaslAnswer => ({
      response: { errorCode, errorMessage: message, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0 },
      refuse: message,
    });
    if (!sasl || sasl.raw || sasl.auth.state !== 'authenticating') {
      return refused(
        ErrorCode.ILLEGAL_SASL_STATE,
        'Unexpected SaslAuthenticate request: no SASL exchange is in progress.',
      );
    }
    try {
      const authBytes = await sasl.auth.step(token);
      return {
        response: { errorCode: ErrorCode.NONE, errorMessage: null, authBytes, sessionLifetimeMs: 0 },
        refuse: null,
      };
    } catch (err) {
      return refused(ErrorCode.SASL_AUTHENTICATION_FAILED, failureText(err));
    }
  }

  /** One bare token after SaslHandshake v0: the bare reply, or why the connection is refused. */
  async rawToken(token: Buffer): Promise<{ bytes: Buffer; refuse: string | null }> {
    try {
      const bytes = await this.auth.step(token);
      if (this.authenticated) this.raw = false;
      return { bytes, refuse: null };
    } catch (err) {
      return { bytes: Buffer.alloc(0), refuse: failureText(err) };
    }
  }
}
