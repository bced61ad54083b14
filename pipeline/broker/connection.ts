import type { Socket } from 'node:net';
import { decodeRequest, encodeResponse, ctxFor, readHeaderRest, readHeaderStart } from './protocol/frame';
import { ApiVersions } from './protocol/messages/api-versions';
import { MalformedRequestError, Reader } from './protocol/reader';
import { apiByKey } from './protocol/registry';
import { Writer } from './protocol/writer';
import { ErrorCode } from './error-codes';
import type { BrokerCore } from './requests/context';
import { handlerFor } from './requests';

export type BrokerLog = (level: 'info' | 'warn' | 'error', message: string) => void;

interface Slot {
  frame: Buffer | null;
}

const MAX_QUEUED_RESPONSES = 256;
const MAX_UNSENT_BYTES = 32 * 1024 * 1024;

/**
 * One client connection: splits the byte stream into size-prefixed frames, decodes each request,
 * runs its handler, and writes responses strictly in request order (clients such as kafka-python
 * send requests back to back and match answers by position). A frame we cannot parse, over the size
 * limit, or for an API or version we do not speak closes this connection only — as Kafka does.
 */
export class Connection {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly queue: Slot[] = [];
  private readonly abort = new AbortController();
  private closed = false;
  readonly clientHost: string;
  requests = 0;
  bytesIn = 0;
  bytesOut = 0;

  constructor(
    private readonly socket: Socket,
    private readonly core: BrokerCore,
    private readonly log: BrokerLog,
  ) {
    this.clientHost = `/${socket.remoteAddress ?? 'unknown'}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.maybeResume());
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  get label(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  close(reason?: string): void {
    if (this.closed) return;
    this.closed = true;
    if (reason) this.log('warn', `closing connection from ${this.label}: ${reason}`);
    this.abort.abort();
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.bytesIn += chunk.length;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    while (!this.closed && this.pendingBytes >= 4) {
      const head = this.peek(4);
      const size = head.readInt32BE(0);
      if (size < 8 || size > this.core.config.maxFrameBytes) {
        this.close(
          size > this.core.config.maxFrameBytes
            ? `request of ${size} bytes is over the ${this.core.config.maxFrameBytes}-byte limit (socket.request.max.bytes)`
            : `invalid request size ${size}`,
        );
        return;
      }
      if (this.pendingBytes < 4 + size) return;
      const frame = this.take(4 + size).subarray(4);
      this.handle(frame);
    }
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

  private handle(frame: Buffer): void {
    this.requests++;
    const r = new Reader(frame);
    let header;
    try {
      header = readHeaderStart(r);
    } catch {
      this.close('request header truncated');
      return;
    }
    const api = apiByKey(header.apiKey);
    if (!api) {
      this.close(`unknown API key ${header.apiKey}`);
      return;
    }
    if (api.key === ApiVersions.key && header.apiVersion > api.maxVersion) {
      // What Kafka does: a v0 answer with UNSUPPORTED_VERSION and our ApiVersions range, so the client retries lower.
      this.push(unsupportedApiVersionsFrame(header.correlationId));
      return;
    }
    if (header.apiVersion < api.minVersion || header.apiVersion > api.maxVersion) {
      this.close(
        `${api.name} v${header.apiVersion} is not supported (this broker speaks v${api.minVersion}-v${api.maxVersion})`,
      );
      return;
    }
    const ctx = ctxFor(api, header.apiVersion);
    let body: unknown;
    let clientId: string | null;
    try {
      clientId = readHeaderRest(r, ctx.flexible);
      body = decodeRequest(api, r, ctx);
    } catch (err) {
      if (err instanceof MalformedRequestError) {
        this.close(`malformed ${api.name} v${header.apiVersion} request: ${err.message}`);
        return;
      }
      throw err;
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
    Promise.resolve()
      .then(() => handlerFor(api)(body as never, requestCtx, this.core))
      .then((response) => {
        if (silent || response === null) return;
        slot.frame = encodeResponse(api, header.apiVersion, header.correlationId, response);
        this.flush();
      })
      .catch((err: unknown) => {
        this.log(
          'error',
          `${api.name} v${header.apiVersion} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        );
        this.close(`internal error answering ${api.name}`);
      });
    if (this.queue.length > MAX_QUEUED_RESPONSES) this.socket.pause();
  }

  private push(frame: Buffer): void {
    this.queue.push({ frame });
    this.flush();
  }

  private flush(): void {
    while (!this.closed && this.queue.length > 0 && (this.queue[0] as Slot).frame) {
      const frame = (this.queue.shift() as Slot).frame as Buffer;
      this.bytesOut += frame.length;
      this.socket.write(frame);
    }
    this.maybeResume();
  }

  private maybeResume(): void {
    if (this.closed) return;
    if (this.socket.writableLength > MAX_UNSENT_BYTES) this.socket.pause();
    else if (this.queue.length <= MAX_QUEUED_RESPONSES && this.socket.isPaused()) this.socket.resume();
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
