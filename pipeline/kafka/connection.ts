import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { AnyApi } from '../broker/protocol/registry';
import { Reader } from '../broker/protocol/reader';
import type { Ctx } from '../broker/protocol/types';
import { Writer } from '../broker/protocol/writer';

/** An API the lean client speaks: the broker codec's description of it (request and response). */
export type ClientApi = Pick<AnyApi, 'key' | 'name' | 'flexibleFrom'> & {
  request: { write(w: Writer, v: never, c: Ctx): void };
  response: { read(r: Reader, c: Ctx): unknown };
};

interface Pending {
  correlationId: number;
  resolve(body: Reader): void;
  reject(error: Error): void;
}

/**
 * One TCP (or TLS) connection to one broker, speaking request header v1 and response header v0 (the lean
 * client uses non-flexible versions only). Requests are pipelined; Kafka answers them in order, so the
 * pending queue is FIFO and each answer must carry the correlation id at its head.
 */
export class KafkaConnection {
  private nextId = 1;
  private readonly pending: Pending[] = [];
  private chunks: Buffer[] = [];
  private buffered = 0;
  private closedWith: Error | null = null;

  private constructor(
    private readonly socket: Socket,
    readonly address: string,
    private readonly clientId: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(new Error(`Kafka connection to ${address}: ${error.message}`)));
    socket.on('close', () => this.fail(new Error(`Kafka connection to ${address} closed.`)));
  }

  static open(
    host: string,
    port: number,
    options: { ssl?: boolean; clientId: string; timeoutMs?: number },
  ): Promise<KafkaConnection> {
    const address = `${host}:${port}`;
    return new Promise((resolve, reject) => {
      const socket = options.ssl ? connectTls({ host, port, servername: host }) : connectTcp({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new Error(`Cannot connect to Kafka at ${address}: no answer in ${options.timeoutMs ?? 5000} ms.`),
        );
      }, options.timeoutMs ?? 5000);
      const ready = options.ssl ? 'secureConnect' : 'connect';
      socket.once(ready, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new KafkaConnection(socket, address, options.clientId));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`Cannot connect to Kafka at ${address}: ${error.message}`));
      });
    });
  }

  get closed(): boolean {
    return this.closedWith !== null;
  }

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.pending.length;
  }

  /** Encodes and sends one request; resolves with the decoded response body. */
  async request<T>(api: ClientApi, version: number, body: unknown): Promise<T> {
    const ctx: Ctx = { version, flexible: version >= api.flexibleFrom };
    if (ctx.flexible)
      throw new Error(`${api.name} v${version} is flexible: the lean client does not speak it.`);
    const w = new Writer();
    w.int32(0).int16(api.key).int16(version).int32(0);
    w.int16(Buffer.byteLength(this.clientId)).raw(Buffer.from(this.clientId));
    api.request.write(w, body as never, ctx);
    const frame = w.toBuffer();
    const reader = await this.send(frame);
    return api.response.read(reader, ctx) as T;
  }

  /** Sends a ready frame (size and header included; its correlation id is set here). */
  send(frame: Buffer): Promise<Reader> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const correlationId = this.nextId++;
    frame.writeInt32BE(frame.length - 4, 0);
    frame.writeInt32BE(correlationId, 8);
    return new Promise((resolve, reject) => {
      this.pending.push({ correlationId, resolve, reject });
      this.socket.write(frame);
    });
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= 4) {
      let head = this.chunks[0] as Buffer;
      if (head.length < 4) head = this.merge();
      const size = head.readInt32BE(0);
      if (this.buffered < 4 + size) return;
      if (head.length < 4 + size) head = this.merge();
      const frame = head.subarray(4, 4 + size);
      const rest = head.subarray(4 + size);
      if (rest.length) this.chunks[0] = rest;
      else this.chunks.shift();
      this.buffered -= 4 + size;
      this.deliver(frame);
    }
  }

  private merge(): Buffer {
    const all = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [all];
    return all;
  }

  private deliver(frame: Buffer): void {
    const next = this.pending.shift();
    const id = frame.readInt32BE(0);
    if (!next || next.correlationId !== id) {
      this.fail(new Error(`Kafka at ${this.address} answered correlation id ${id} out of order.`));
      next?.reject(this.closedWith as Error);
      return;
    }
    next.resolve(new Reader(frame, 4));
  }

  private fail(error: Error): void {
    this.closedWith ??= error;
    this.socket.destroy();
    for (const p of this.pending.splice(0)) p.reject(this.closedWith);
  }

  close(): void {
    this.fail(new Error(`Kafka connection to ${this.address} closed by the client.`));
  }
}
