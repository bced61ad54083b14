import type { Socket } from 'node:net';
import {
  decodeRequest,
  encodeResponseChunks,
  ctxFor,
  readHeaderRest,
  readHeaderStart,
} from './protocol/frame';
import { ApiVersions } from './protocol/messages/api-versions';
import { MalformedRequestError, Reader } from './protocol/reader';
import { apiByKey, type AnyApi } from './protocol/registry';
import { Writer } from './protocol/writer';
import { ErrorCode } from './error-codes';
import type { BufferBudget } from './limits';
import type { BrokerCore } from './requests/context';
import { handlerFor } from './requests';
import { ConnectionSasl } from './sasl/connection-sasl';
import type { SaslUsers } from './sasl/users-file';

export type BrokerLog = (level: 'info' | 'warn' | 'error', message: string) => void;

interface Slot {
  /** The response's pieces in order (a Fetch response's batches by reference), once it is ready. */
  frame: Buffer[] | null;
}

const MAX_QUEUED_RESPONSES = 256;
const MAX_UNSENT_BYTES = 32 * 1024 * 1024;

export interface ConnectionEnv {
  core: BrokerCore;
  log: BrokerLog;
  budget: BufferBudget;
  /** The users to authenticate against; null when SASL is off. */
  saslUsers: SaslUsers | null;
}

/**
 * One client connection: splits the byte stream into size-prefixed frames, decodes each request,
 * runs its handler, and writes responses strictly in request order (clients such as kafka-python
 * send requests back to back and match answers by position). A frame we cannot parse, over the size
 * limit, or for an API or version we do not speak closes this connection only — as Kafka does.
 * With SASL on, nothing but ApiVersions and the SASL exchange is served until the client has
 * authenticated (see sasl/connection-sasl.ts). Each frame's bytes are reserved from the broker-wide
 * budget before they are buffered (see limits.ts).
 */
export class Connection {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Size of the frame being received, once its length prefix is in. */
  private frameSize: number | null = null;
  private reserved = 0;
  private waitingForBudget: (() => void) | null = null;
  private frameStartedAt = 0;
  private lastActive = Date.now();
  private inFlight = 0;
  private readonly queue: Slot[] = [];
  private readonly abort = new AbortController();
  private readonly sasl: ConnectionSasl | null;
  private closed = false;
  /** Set when the connection is refused: stop reading, send what is queued, then close. */
  private closing = false;
  readonly clientHost: string;
  requests = 0;
  bytesIn = 0;
  bytesOut = 0;

  constructor(
    private readonly socket: Socket,
    private readonly env: ConnectionEnv,
  ) {
    this.clientHost = `/${socket.remoteAddress ?? 'unknown'}`;
    this.sasl = env.saslUsers ? new ConnectionSasl(env.saslUsers) : null;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.updateFlow());
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  private get core(): BrokerCore {
    return this.env.core;
  }

  /** Bytes of requests received and not yet handed to a handler. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  get label(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  close(reason?: string): void {
    if (this.closed) return;
    this.closed = true;
    if (reason) this.env.log('warn', `closing connection from ${this.label}: ${reason}`);
    this.releaseReceiving();
    this.abort.abort();
    this.socket.destroy();
  }

  /** Refuses the client the way Kafka does: the queued responses (its error among them) go out, then the close. */
  private closeAfterFlush(reason: string): void {
    if (this.closing || this.closed) return;
    this.closing = true;
    this.env.log('warn', `closing connection from ${this.label}: ${reason}`);
    this.socket.pause();
    this.releaseReceiving();
    this.flush();
  }

  private releaseReceiving(): void {
    if (this.waitingForBudget) this.env.budget.cancel(this.waitingForBudget);
    this.waitingForBudget = null;
    if (this.reserved > 0) this.env.budget.release(this.reserved);
    this.reserved = 0;
  }

  /** Called by the broker's sweep: closes a connection idle too long, or stuck in the middle of a frame. */
  checkTimeouts(now: number): void {
    if (this.closed || this.closing) return;
    const { partialFrameTimeoutMs, connectionsMaxIdleMs } = this.core.config;
    if (this.pendingBytes > 0) {
      if (now - this.frameStartedAt > partialFrameTimeoutMs) {
        const of = this.frameSize === null ? '' : ` of ${this.frameSize + 4}`;
        this.close(
          `request not completed within ${partialFrameTimeoutMs} ms (${this.pendingBytes}${of} bytes received)`,
        );
      }
    } else if (
      this.queue.length === 0 &&
      this.inFlight === 0 &&
      now - this.lastActive > connectionsMaxIdleMs
    ) {
      this.close(`idle for more than ${connectionsMaxIdleMs} ms (connections.max.idle.ms)`);
    }
  }

  private onData(chunk: Buffer): void {
    if (this.closed || this.closing) return;
    this.lastActive = Date.now();
    this.bytesIn += chunk.length;
    if (this.pendingBytes === 0) this.frameStartedAt = this.lastActive;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.receive();
  }

  private receive(): void {
    while (!this.closed && !this.closing && !this.waitingForBudget) {
      if (this.frameSize === null) {
        if (this.pendingBytes < 4) return;
        const size = this.peek(4).readInt32BE(0);
        const problem = this.sizeProblem(size);
        if (problem) return this.close(problem);
        this.frameSize = size;
        if (!this.reserve(size)) return;
      }
      if (this.pendingBytes < 4 + this.frameSize) return;
      const frame = this.take(4 + this.frameSize).subarray(4);
      const reserved = this.reserved;
      this.frameSize = null;
      this.reserved = 0;
      if (this.pendingBytes > 0) this.frameStartedAt = Date.now();
      let released = false;
      this.handle(frame, () => {
        if (released) return;
        released = true;
        this.env.budget.release(reserved);
      });
    }
  }

  /** Reserves a frame's bytes from the broker-wide budget, or stops reading until they are free. */
  private reserve(size: number): boolean {
    const grant = () => {
      this.waitingForBudget = null;
      this.reserved = size;
      this.updateFlow();
      this.receive();
    };
    if (this.env.budget.reserve(size, grant)) {
      this.reserved = size;
      return true;
    }
    this.waitingForBudget = grant;
    this.updateFlow();
    this.env.log(
      'warn',
      `pausing reads from ${this.label}: its ${size}-byte request does not fit in the ${this.env.budget.capacity}-byte budget of buffered requests (${this.env.budget.usedBytes} in use)`,
    );
    return false;
  }

  private sizeProblem(size: number): string | null {
    if (this.sasl?.expectsRawToken) {
      return size < 0 || size > this.core.config.saslMaxReceiveBytes
        ? `invalid SASL token size ${size} (sasl.server.max.receive.size is ${this.core.config.saslMaxReceiveBytes})`
        : null;
    }
    if (size < 8) return `invalid request size ${size}`;
    if (this.sasl && !this.sasl.authenticated && size > this.core.config.saslMaxReceiveBytes) {
      return `request of ${size} bytes before authentication is over the ${this.core.config.saslMaxReceiveBytes}-byte limit (sasl.server.max.receive.size)`;
    }
    if (size > this.core.config.maxFrameBytes) {
      return `request of ${size} bytes is over the ${this.core.config.maxFrameBytes}-byte limit (socket.request.max.bytes)`;
    }
    return null;
  }

  private peek(n: number): Buffer {
    if ((this.pending[0] as Buffer).length >= n) return this.pending[0] as Buffer;
    const joined = Buffer.concat(this.pending);
    this.pending = [joined];
    return joined;
  }

  private take(n: number): Buffer {
    const all = this.peek(n);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes -= n;
    return out;
  }

  private handle(frame: Buffer, release: () => void): void {
    if (this.sasl?.expectsRawToken) {
      this.rawToken(frame, release);
      return;
    }
    this.requests++;
    const r = new Reader(frame);
    let header;
    try {
      header = readHeaderStart(r);
    } catch {
      release();
      this.close('request header truncated');
      return;
    }
    const api = apiByKey(header.apiKey);
    const refusal = this.refusal(api, header.apiKey, header.apiVersion);
    if (refusal !== null || !api) {
      release();
      if (refusal === 'api-versions-fallback') this.push(unsupportedApiVersionsFrame(header.correlationId));
      else this.close(refusal ?? `unknown API key ${header.apiKey}`);
      return;
    }
    const ctx = ctxFor(api, header.apiVersion);
    let body: unknown;
    let clientId: string | null;
    try {
      clientId = readHeaderRest(r, ctx.flexible);
      body = decodeRequest(api, r, ctx);
    } catch (err) {
      release();
      if (err instanceof MalformedRequestError) {
        this.close(`malformed ${api.name} v${header.apiVersion} request: ${err.message}`);
        return;
      }
      throw err;
    }
    if (ConnectionSasl.handles(api)) {
      this.saslRequest(api, header.apiVersion, header.correlationId, body, release);
      return;
    }
    const silent = api.key === 0 && (body as { acks: number }).acks === 0;
    const slot: Slot = { frame: null };
    if (!silent) this.queue.push(slot);
    const requestCtx = {
      header: { ...header, clientId },
      version: header.apiVersion,
      clientHost: this.clientHost,
      signal: this.abort.signal,
    };
    this.inFlight++;
    Promise.resolve()
      .then(() => handlerFor(api)(body as never, requestCtx, this.core))
      .then((response) => {
        if (silent || response === null) return;
        slot.frame = encodeResponseChunks(api, header.apiVersion, header.correlationId, response);
        this.flush();
      })
      .catch((err: unknown) => {
        this.env.log(
          'error',
          `${api.name} v${header.apiVersion} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        );
        this.close(`internal error answering ${api.name}`);
      })
      .finally(() => {
        this.inFlight--;
        release();
      });
    this.updateFlow();
  }

  /** Why a request may not be served (a sentence for the log), 'api-versions-fallback', or null to serve it. */
  private refusal(api: AnyApi | undefined, key: number, version: number): string | null {
    if (!api) return `unknown API key ${key}`;
    if (this.sasl && !this.sasl.authenticated && !ConnectionSasl.allowedBeforeAuth(api)) {
      return `${api.name} request before SASL authentication (only ApiVersions, SaslHandshake and SaslAuthenticate are allowed)`;
    }
    // What Kafka does: a v0 answer with UNSUPPORTED_VERSION and our ApiVersions range, so the client retries lower.
    if (api.key === ApiVersions.key && version > api.maxVersion) return 'api-versions-fallback';
    if (version < api.minVersion || version > api.maxVersion) {
      return `${api.name} v${version} is not supported (this broker speaks v${api.minVersion}-v${api.maxVersion})`;
    }
    return null;
  }

  /** SaslHandshake or SaslAuthenticate: answered in order with the other requests, then maybe a close. */
  private saslRequest(
    api: AnyApi,
    version: number,
    correlationId: number,
    body: unknown,
    release: () => void,
  ): void {
    const slot: Slot = { frame: null };
    this.queue.push(slot);
    this.inFlight++;
    const answer = ConnectionSasl.answer(this.sasl, api, version, body);
    void answer
      .then(({ response, refuse }) => {
        slot.frame = encodeResponseChunks(api, version, correlationId, response);
        if (refuse) this.closeAfterFlush(refuse);
        else this.flush();
      })
      .finally(() => {
        this.inFlight--;
        release();
      });
  }

  /** After SaslHandshake v0 the client sends bare size-prefixed tokens and reads bare tokens back. */
  private rawToken(token: Buffer, release: () => void): void {
    const sasl = this.sasl as ConnectionSasl;
    const slot: Slot = { frame: null };
    this.queue.push(slot);
    this.inFlight++;
    void sasl
      .rawToken(token)
      .then((reply) => {
        if (reply.refuse !== null) {
          // Kafka answers a failed v0 exchange by closing: the client has no frame to read an error from.
          this.queue.splice(this.queue.indexOf(slot), 1);
          this.close(reply.refuse);
          return;
        }
        const frame = Buffer.alloc(4 + reply.bytes.length);
        frame.writeInt32BE(reply.bytes.length, 0);
        reply.bytes.copy(frame, 4);
        slot.frame = [frame];
        this.flush();
      })
      .finally(() => {
        this.inFlight--;
        release();
      });
  }

  private push(frame: Buffer): void {
    this.queue.push({ frame: [frame] });
    this.flush();
  }

  private flush(): void {
    const many = this.queue.length > 1 || (this.queue[0]?.frame?.length ?? 0) > 1;
    if (many) this.socket.cork();
    while (!this.closed && this.queue.length > 0 && (this.queue[0] as Slot).frame) {
      const pieces = (this.queue.shift() as Slot).frame as Buffer[];
      for (const piece of pieces) {
        this.bytesOut += piece.length;
        this.socket.write(piece);
      }
      this.lastActive = Date.now();
    }
    if (many) this.socket.uncork();
    if (this.closing && !this.closed && this.queue.length === 0) {
      this.closed = true;
      this.abort.abort();
      this.socket.end(() => this.socket.destroy());
      return;
    }
    this.updateFlow();
  }

  /** Stops reading while responses back up, the client is not reading, or the budget has no room for its frame. */
  private updateFlow(): void {
    if (this.closed || this.closing) return;
    const hold =
      this.waitingForBudget !== null ||
      this.queue.length > MAX_QUEUED_RESPONSES ||
      this.socket.writableLength > MAX_UNSENT_BYTES;
    if (hold && !this.socket.isPaused()) this.socket.pause();
    else if (!hold && this.socket.isPaused()) this.socket.resume();
  }
}

function unsupportedApiVersionsFrame(correlationId: number): Buffer {
  const w = new Writer();
  w.int32(0).int32(correlationId);
  w.int16(ErrorCode.UNSUPPORTED_VERSION);
  w.int32(1).int16(ApiVersions.key).int16(ApiVersions.minVersion).int16(ApiVersions.maxVersion);
  const frame = w.toBuffer();
  frame.writeInt32BE(frame.length - 4, 0);
  return frame;
}
