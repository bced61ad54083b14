/** Big-endian builder for one response: small values go into a growing scratch buffer, large byte runs are appended by reference. */
export class Writer {
  private chunks: Buffer[] = [];
  private scratch = Buffer.allocUnsafe(4096);
  private used = 0;
  private total = 0;

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
    this.scratch.writeInt8(v, this.room(1));
    return this;
  }
  int16(v: number): this {
    this.scratch.writeInt16BE(v, this.room(2));
    return this;
  }
  uint16(v: number): this {
    this.scratch.writeUInt16BE(v, this.room(2));
    return this;
  }
  int32(v: number): this {
    this.scratch.writeInt32BE(v, this.room(4));
    return this;
  }
  uint32(v: number): this {
    this.scratch.writeUInt32BE(v, this.room(4));
    return this;
  }
  int64(v: number): this {
    this.scratch.writeBigInt64BE(BigInt(v), this.room(8));
    return this;
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  uvarint(v: number): this {
    let rest = v;
    while (rest >= 0x80) {
      this.scratch.writeUInt8((rest % 0x80) | 0x80, this.room(1));
      rest = Math.floor(rest / 0x80);
    }
    this.scratch.writeUInt8(rest, this.room(1));
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
    this.flushScratch();
    return this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.total);
  }
}
