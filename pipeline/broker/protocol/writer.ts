/**
 * Big-endian builder for one response: small values go into a scratch buffer, large byte runs are
 * appended by reference. When the scratch buffer fills it is pushed as a chunk and replaced, so every
 * write takes its position from `room()` *before* it touches `this.scratch`: `this.scratch.writeX(v,
 * this.room(n))` would evaluate the old buffer first and write into the chunk already pushed.
 */
export class Writer {
  private chunks: Buffer[] = [];
  private scratch = Buffer.allocUnsafe(4096);
  private used = 0;
  private total = 0;

  /** Reserves n bytes in the current scratch buffer (replacing it when full) and returns where they start. */
  private room(n: number): number {
    if (this.used + n > this.scratch.length) {
      this.flushScratch();
      if (n > this.scratch.length) this.scratch = Buffer.allocUnsafe(n);
    }
    const at = this.used;
    this.used += n;
    this.total += n;
    return at;
  }

  private flushScratch(): void {
    if (this.used === 0) return;
    this.chunks.push(this.scratch.subarray(0, this.used));
    this.scratch = Buffer.allocUnsafe(this.scratch.length);
    this.used = 0;
  }

  get length(): number {
    return this.total;
  }

  int8(v: number): this {
    const at = this.room(1);
    this.scratch.writeInt8(v, at);
    return this;
  }
  int16(v: number): this {
    const at = this.room(2);
    this.scratch.writeInt16BE(v, at);
    return this;
  }
  uint16(v: number): this {
    const at = this.room(2);
    this.scratch.writeUInt16BE(v, at);
    return this;
  }
  int32(v: number): this {
    const at = this.room(4);
    this.scratch.writeInt32BE(v, at);
    return this;
  }
  uint32(v: number): this {
    const at = this.room(4);
    this.scratch.writeUInt32BE(v, at);
    return this;
  }
  /** int64 from a JS number (offsets, timestamps, ids: all within ±2^53). */
  int64(v: number): this {
    const at = this.room(8);
    const hi = Math.floor(v / 0x1_0000_0000);
    this.scratch.writeInt32BE(hi, at);
    this.scratch.writeUInt32BE(v - hi * 0x1_0000_0000, at + 4);
    return this;
  }
  float64(v: number): this {
    const at = this.room(8);
    this.scratch.writeDoubleBE(v, at);
    return this;
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  uvarint(v: number): this {
    let rest = v;
    while (rest >= 0x80) {
      const at = this.room(1);
      this.scratch[at] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    const at = this.room(1);
    this.scratch[at] = rest;
    return this;
  }
  raw(b: Uint8Array): this {
    if (b.length <= 256) {
      const at = this.room(b.length);
      this.scratch.set(b, at);
      return this;
    }
    this.flushScratch();
    this.chunks.push(Buffer.from(b.buffer, b.byteOffset, b.length));
    this.total += b.length;
    return this;
  }

  /** The response as one buffer. */
  toBuffer(): Buffer {
    const chunks = this.toChunks();
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.total);
  }

  /**
   * The response as its pieces, large byte runs by reference (raw()): a socket writes them with one writev,
   * so a Fetch response's record batches are never copied into one buffer.
   */
  toChunks(): Buffer[] {
    this.flushScratch();
    return this.chunks;
  }
}
