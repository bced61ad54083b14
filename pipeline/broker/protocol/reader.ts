/** Thrown when a request's bytes end early or hold an impossible value; the server answers or closes that connection. */
export class MalformedRequestError extends Error {
  override name = 'MalformedRequestError';
}

/**
 * Big-endian cursor over one request's bytes. Every read checks the bounds, so a truncated or lying
 * frame becomes a MalformedRequestError instead of garbage.
 */
export class Reader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): number {
    if (n < 0 || this.pos + n > this.end) {
      throw new MalformedRequestError(
        `request truncated: needed ${n} bytes at byte ${this.pos}, ${this.remaining} left`,
      );
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1));
  }
  int16(): number {
    return this.buf.readInt16BE(this.need(2));
  }
  uint16(): number {
    return this.buf.readUInt16BE(this.need(2));
  }
  int32(): number {
    return this.buf.readInt32BE(this.need(4));
  }
  uint32(): number {
    return this.buf.readUInt32BE(this.need(4));
  }
  /** int64 as a JS number: offsets and timestamps stay far below 2^53; larger values are refused. */
  int64(): number {
    const at = this.need(8);
    const hi = this.buf.readInt32BE(at);
    const lo = this.buf.readUInt32BE(at + 4);
    const value = hi * 0x1_0000_0000 + lo;
    if (!Number.isSafeInteger(value)) throw new MalformedRequestError(`int64 at byte ${at} is beyond 2^53`);
    return value;
  }
  float64(): number {
    return this.buf.readDoubleBE(this.need(8));
  }
  bool(): boolean {
    return this.int8() !== 0;
  }

  /** Unsigned LEB128 varint (compact lengths, tag numbers). */
  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift <= 28; shift += 7) {
      const b = this.buf.readUInt8(this.need(1));
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
    throw new MalformedRequestError(`varint too long at byte ${this.pos}`);
  }

  bytes(n: number): Buffer {
    const at = this.need(n);
    return this.buf.subarray(at, at + n);
  }

  string(n: number): string {
    const at = this.need(n);
    return this.buf.toString('utf8', at, at + n);
  }
}
