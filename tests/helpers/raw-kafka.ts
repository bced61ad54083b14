import { connect, type Socket } from 'node:net';

/**
 * A bare TCP Kafka client for tests that must send bytes no real client would: it frames what it is
 * given and hands back whole response frames (without the size prefix), or notices the broker hanging up.
 */
export class RawKafka {
  private buffered = Buffer.alloc(0);
  private waiters: ((frame: Buffer | null) => void)[] = [];
  private frames: Buffer[] = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 4 && this.buffered.length >= 4 + this.buffered.readInt32BE(0)) {
        const size = this.buffered.readInt32BE(0);
        this.deliver(this.buffered.subarray(4, 4 + size));
        this.buffered = this.buffered.subarray(4 + size);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w(null);
    });
  }

  static open(port: number): Promise<RawKafka> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawKafka(socket)));
      socket.once('error', reject);
    });
  }

  private deliver(frame: Buffer): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(frame);
    else this.frames.push(frame);
  }

  /** Request header v1 + body, size-prefixed. */
  static frame(
    apiKey: number,
    version: number,
    correlationId: number,
    body: Buffer,
    clientId = 'raw',
  ): Buffer {
    const id = Buffer.from(clientId);
    const header = Buffer.alloc(10);
    header.writeInt16BE(apiKey, 0);
    header.writeInt16BE(version, 2);
    header.writeInt32BE(correlationId, 4);
    header.writeInt16BE(id.length, 8);
    const payload = Buffer.concat([header, id, body]);
    const size = Buffer.alloc(4);
    size.writeInt32BE(payload.length);
    return Buffer.concat([size, payload]);
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next response frame, or null once the broker closes the connection. */
  next(timeoutMs = 5000): Promise<Buffer | null> {
    const ready = this.frames.shift();
    if (ready) return Promise.resolve(ready);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no response and no close')), timeoutMs);
      this.waiters.push((f) => {
        clearTimeout(timer);
        resolve(f);
      });
    });
  }

  async request(apiKey: number, version: number, body: Buffer, correlationId = 1): Promise<Buffer | null> {
    this.write(RawKafka.frame(apiKey, version, correlationId, body));
    return this.next();
  }

  close(): void {
    this.socket.destroy();
  }
}
