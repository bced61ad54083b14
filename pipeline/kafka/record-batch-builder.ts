import { BATCH_HEADER_SIZE, BatchField, computeBatchCrc } from '../broker/records/record-batch';

/**
 * Builds one Kafka RecordBatch (magic 2) in a single growing buffer: each record's key, value and headers
 * are written straight from their JavaScript strings (or from bytes held in place, see ByteField) into the
 * buffer, with no per-record object. The
 * header (producer id, sequence, CRC-32C) is filled in when the batch is sealed.
 */

/** Bytes of the zigzag varint of a non-negative n. */
function varintSize(n: number): number {
  const z = n * 2;
  if (z < 0x80) return 1;
  if (z < 0x4000) return 2;
  if (z < 0x20_0000) return 3;
  if (z < 0x1000_0000) return 4;
  return 5;
}

/** Writes the zigzag varint of a signed 32-bit n at pos; returns the position after it. */
function writeVarint(buf: Buffer, pos: number, n: number): number {
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  while (z >= 0x80) {
    buf[pos++] = (z & 0x7f) | 0x80;
    z = Math.floor(z / 128);
  }
  buf[pos++] = z;
  return pos;
}

/** Byte values held in place (e.g. a DuckDB result column): value i is bufferOf(i)[startOf(i), +lengthOf(i)). */
export interface ByteField {
  /** null: the value is null. */
  bufferOf(i: number): Uint8Array | null;
  startOf(i: number): number;
  lengthOf(i: number): number;
}

/** Value i of a ByteField as its own bytes (a copy), for the paths that keep it past the field's life. */
export function copyOfField(field: ByteField, i: number): Buffer | null {
  const buf = field.bufferOf(i);
  if (buf === null) return null;
  const start = field.startOf(i);
  return Buffer.from(buf.subarray(start, start + field.lengthOf(i)));
}

/** Precomputed headers every record of a run shares: the source header, and the key of the row header. */
export class Lineage {
  /** headers count (2), "clickpulse.source" = source, then the key of "clickpulse.row". */
  readonly prefix: Buffer;

  constructor(readonly source: string) {
    const parts: number[] = [];
    const push = (b: Buffer) => {
      const len = Buffer.alloc(5);
      parts.push(...len.subarray(0, writeVarint(len, 0, b.length)), ...b);
    };
    parts.push(4); // zigzag(2): two headers
    push(Buffer.from('clickpulse.source'));
    push(Buffer.from(source, 'utf8'));
    push(Buffer.from('clickpulse.row'));
    this.prefix = Buffer.from(parts);
  }
}

export class RecordBatchBuilder {
  private buf: Buffer;
  private pos = BATCH_HEADER_SIZE;
  count = 0;
  private firstTimestamp = 0;

  constructor(private readonly initialBytes = 256 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Bytes the batch holds so far (header included). */
  get size(): number {
    return this.pos;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + extra));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Writes varint length + UTF-8 bytes of s at pos (null: length -1); returns the position after. */
  private writeString(pos: number, s: string | null): number {
    if (s === null) return writeVarint(this.buf, pos, -1);
    const guess = varintSize(s.length * 3);
    const start = pos + guess;
    const n = s.length === 0 ? 0 : this.buf.write(s, start, 'utf8');
    const width = varintSize(n);
    if (width !== guess) this.buf.copyWithin(pos + width, start, start + n);
    writeVarint(this.buf, pos, n);
    return pos + width + n;
  }

  /** Writes varint length + value i of a ByteField at pos (null: length -1); returns the position after. */
  private writeFieldAt(pos: number, field: ByteField, i: number): number {
    const src = field.bufferOf(i);
    if (src === null) return writeVarint(this.buf, pos, -1);
    const start = field.startOf(i);
    const length = field.lengthOf(i);
    const at = writeVarint(this.buf, pos, length);
    if (length < 32) for (let j = 0; j < length; j++) this.buf[at + j] = src[start + j] as number;
    else this.buf.set(src.subarray(start, start + length), at);
    return at + length;
  }

  /** Starts a record: reserves its length prefix; returns where the body starts and how wide the prefix is. */
  private begin(worst: number): number {
    if (this.count === 0) this.firstTimestamp = Date.now();
    this.ensure(worst + 5);
    const body = this.pos + varintSize(worst);
    this.buf[body] = 0; // attributes
    this.buf[body + 1] = 0; // timestampDelta: the batch's time
    return writeVarint(this.buf, body + 2, this.count);
  }

  /** Ends a record whose body runs from `body` to `end`: writes its length, moving the body if the guess was off. */
  private end(worst: number, end: number): void {
    const reserved = varintSize(worst);
    const body = this.pos + reserved;
    const length = end - body;
    const width = varintSize(length);
    if (width !== reserved) this.buf.copyWithin(this.pos + width, body, end);
    writeVarint(this.buf, this.pos, length);
    this.pos += width + length;
    this.count++;
  }

  /** One record with the run's lineage headers (clickpulse.source, clickpulse.row = row). */
  appendWithLineage(key: string | null, value: string | null, lineage: Lineage, row: number): void {
    const worst =
      3 + 5 + 5 + (key?.length ?? 0) * 3 + 5 + (value?.length ?? 0) * 3 + lineage.prefix.length + 1 + 16;
    let p = this.begin(worst);
    p = this.writeString(p, key);
    p = this.writeString(p, value);
    this.end(worst, this.writeLineage(p, lineage, row));
  }

  /** One record from row i of two ByteFields (key, value), with the run's lineage headers. */
  appendRowWithLineage(key: ByteField, value: ByteField, i: number, lineage: Lineage, row: number): void {
    const keyBytes = key.bufferOf(i) === null ? 0 : key.lengthOf(i);
    const valueBytes = value.bufferOf(i) === null ? 0 : value.lengthOf(i);
    const worst = 3 + 5 + 5 + keyBytes + 5 + valueBytes + lineage.prefix.length + 1 + 16;
    let p = this.begin(worst);
    p = this.writeFieldAt(p, key, i);
    p = this.writeFieldAt(p, value, i);
    this.end(worst, this.writeLineage(p, lineage, row));
  }

  /** One record with any headers (the DLQ's, which carry a reason). */
  append(key: string | null, value: string | null, headers: [string, string][]): void {
    let worst = 3 + 5 + 5 + (key?.length ?? 0) * 3 + 5 + (value?.length ?? 0) * 3 + 5;
    for (const [k, v] of headers) worst += 10 + (k.length + v.length) * 3;
    let p = this.begin(worst);
    p = this.writeString(p, key);
    p = this.writeString(p, value);
    p = writeVarint(this.buf, p, headers.length);
    for (const [k, v] of headers) {
      p = this.writeString(p, k);
      p = this.writeString(p, v);
    }
    this.end(worst, p);
  }

  /** The lineage headers (the run's shared prefix, then the row number) at pos; returns the position after. */
  private writeLineage(pos: number, lineage: Lineage, row: number): number {
    const prefix = lineage.prefix;
    for (let i = 0; i < prefix.length; i++) this.buf[pos + i] = prefix[i] as number;
    return this.writeDigits(pos + prefix.length, row);
  }

  /** A non-negative integer as a length-prefixed decimal string, without making the string. */
  private writeDigits(pos: number, n: number): number {
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    let p = writeVarint(this.buf, pos, digits) + digits;
    for (let x = n, i = 0; i < digits; i++, x = Math.floor(x / 10)) this.buf[--p] = 48 + (x % 10);
    return p + digits;
  }

  /**
   * The finished batch (its own buffer; the builder starts empty again). `compress` turns the records
   * section into the codec's bytes; its attribute id goes in the header.
   */
  seal(
    producerId: number,
    producerEpoch: number,
    baseSequence: number,
    compression?: { id: number; compress(records: Buffer): Buffer },
  ): Buffer {
    let batch = this.buf.subarray(0, this.pos);
    if (compression) {
      const packed = compression.compress(batch.subarray(BATCH_HEADER_SIZE));
      const out = Buffer.allocUnsafe(BATCH_HEADER_SIZE + packed.length);
      packed.copy(out, BATCH_HEADER_SIZE);
      batch = out;
    }
    const ts = this.firstTimestamp;
    writeInt64(batch, BatchField.baseOffset, 0);
    batch.writeInt32BE(batch.length - 12, BatchField.batchLength);
    batch.writeInt32BE(-1, BatchField.partitionLeaderEpoch);
    batch.writeInt8(2, BatchField.magic);
    batch.writeInt16BE(compression?.id ?? 0, BatchField.attributes);
    batch.writeInt32BE(this.count - 1, BatchField.lastOffsetDelta);
    writeInt64(batch, BatchField.baseTimestamp, ts);
    writeInt64(batch, BatchField.maxTimestamp, ts);
    writeInt64(batch, BatchField.producerId, producerId);
    batch.writeInt16BE(producerEpoch, BatchField.producerEpoch);
    batch.writeInt32BE(baseSequence, BatchField.baseSequence);
    batch.writeInt32BE(this.count, BatchField.recordsCount);
    batch.writeUInt32BE(computeBatchCrc(batch), BatchField.crc);
    // The sealed bytes are handed off: a batch still in flight must never be overwritten.
    this.buf = compression ? this.buf : Buffer.allocUnsafe(Math.max(this.initialBytes, this.pos));
    this.pos = BATCH_HEADER_SIZE;
    this.count = 0;
    return batch;
  }
}

function writeInt64(buf: Buffer, pos: number, value: number): void {
  const hi = Math.floor(value / 0x1_0000_0000);
  buf.writeInt32BE(hi, pos);
  buf.writeUInt32BE(value - hi * 0x1_0000_0000, pos + 4);
}
