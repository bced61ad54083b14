import { createRequire } from 'node:module';

/**
 * Builds and reads uncompressed Kafka RecordBatch v2 buffers for tests, independently of the broker's own
 * code so the tests check the broker against the spec rather than against itself.
 */

const crc32c = createRequire(import.meta.url)('crc-32/crc32c') as {
  buf(b: Uint8Array, seed?: number): number;
};

export interface TestRecord {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  /** Absolute timestamp; defaults to the batch's baseTimestamp. */
  timestamp?: number;
  headers?: { key: string; value: Buffer | string | null }[];
}

export interface TestBatchOptions {
  baseOffset?: number;
  baseTimestamp?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  partitionLeaderEpoch?: number;
  /** Raw attributes; compression bits must stay 0 since the records are written uncompressed. */
  attributes?: number;
  /** Overrides the magic byte after the CRC is computed (the CRC does not cover it). */
  magic?: number;
}

function zigzagVarint(value: number): Buffer {
  // Zigzag as arbitrary-precision arithmetic so varlong timestamps beyond 2^31 stay exact.
  let n = value >= 0 ? BigInt(value) * 2n : -BigInt(value) * 2n - 1n;
  const bytes: number[] = [];
  while (n >= 0x80n) {
    bytes.push(Number(n & 0x7fn) | 0x80);
    n >>= 7n;
  }
  bytes.push(Number(n));
  return Buffer.from(bytes);
}

function bytesOf(value: Buffer | string | null | undefined): Buffer | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? Buffer.from(value) : value;
}

function sizedField(value: Buffer | null): Buffer[] {
  return value === null ? [zigzagVarint(-1)] : [zigzagVarint(value.length), value];
}

function encodeRecord(record: TestRecord, offsetDelta: number, baseTimestamp: number): Buffer {
  const headers = record.headers ?? [];
  const body = Buffer.concat([
    Buffer.from([0]),
    zigzagVarint((record.timestamp ?? baseTimestamp) - baseTimestamp),
    zigzagVarint(offsetDelta),
    ...sizedField(bytesOf(record.key)),
    ...sizedField(bytesOf(record.value)),
    zigzagVarint(headers.length),
    ...headers.flatMap((h) => [...sizedField(Buffer.from(h.key)), ...sizedField(bytesOf(h.value))]),
  ]);
  return Buffer.concat([zigzagVarint(body.length), body]);
}

function writeInt64(buf: Buffer, pos: number, value: number): void {
  buf.writeBigInt64BE(BigInt(value), pos);
}

/** One valid uncompressed v2 batch holding `records`. */
export function buildBatch(records: TestRecord[], options: TestBatchOptions = {}): Buffer {
  const baseTimestamp = options.baseTimestamp ?? 1_700_000_000_000;
  const encoded = records.map((r, i) => encodeRecord(r, i, baseTimestamp));
  const maxTimestamp = records.reduce((max, r) => Math.max(max, r.timestamp ?? baseTimestamp), baseTimestamp);
  const header = Buffer.alloc(61);
  writeInt64(header, 0, options.baseOffset ?? 0);
  header.writeInt32BE(49 + encoded.reduce((n, r) => n + r.length, 0), 8);
  header.writeInt32BE(options.partitionLeaderEpoch ?? 0, 12);
  header.writeInt8(2, 16);
  header.writeInt16BE(options.attributes ?? 0, 21);
  header.writeInt32BE(Math.max(records.length - 1, 0), 23);
  writeInt64(header, 27, baseTimestamp);
  writeInt64(header, 35, maxTimestamp);
  writeInt64(header, 43, options.producerId ?? -1);
  header.writeInt16BE(options.producerEpoch ?? -1, 51);
  header.writeInt32BE(options.baseSequence ?? -1, 53);
  header.writeInt32BE(records.length, 57);
  const batch = Buffer.concat([header, ...encoded]);
  batch.writeUInt32BE(crc32c.buf(batch.subarray(21)) >>> 0, 17);
  if (options.magic !== undefined) batch.writeInt8(options.magic, 16);
  return batch;
}

/** A batch of `count` records with values `${prefix}-0`, `${prefix}-1`, ... */
export function buildValuesBatch(prefix: string, count: number, options: TestBatchOptions = {}): Buffer {
  return buildBatch(
    Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `${prefix}-${i}` })),
    options,
  );
}

/** A legacy magic-1 message set (one message), which a v2-only broker must refuse. */
export function buildMagicOneMessage(value: string): Buffer {
  const v = Buffer.from(value);
  // offset int64, size int32, crc int32, magic int8, attributes int8, timestamp int64, key int32(-1), value
  const body = Buffer.alloc(4 + 1 + 1 + 8 + 4 + 4 + v.length);
  body.writeInt8(1, 4);
  body.writeInt32BE(-1, 14);
  body.writeInt32BE(v.length, 18);
  v.copy(body, 22);
  const head = Buffer.alloc(12);
  head.writeInt32BE(body.length, 8);
  return Buffer.concat([head, body]);
}

export interface DecodedRecord {
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
}

class VarintReader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start: number,
  ) {
    this.pos = start;
  }
  varint(): number {
    let n = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.buf.readUInt8(this.pos++);
      n |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
    }
    return Number((n >> 1n) ^ -(n & 1n));
  }
  bytes(): string | null {
    const len = this.varint();
    if (len < 0) return null;
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }
}

/** Decodes every record of every uncompressed batch in `buf` (a log read result). */
export function decodeRecords(buf: Buffer): DecodedRecord[] {
  const out: DecodedRecord[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const baseOffset = Number(buf.readBigInt64BE(pos));
    const size = buf.readInt32BE(pos + 8) + 12;
    const baseTimestamp = Number(buf.readBigInt64BE(pos + 27));
    const count = buf.readInt32BE(pos + 57);
    const r = new VarintReader(buf, pos + 61);
    for (let i = 0; i < count; i++) {
      r.varint(); // record length
      r.pos += 1; // attributes
      const timestamp = baseTimestamp + r.varint();
      const offset = baseOffset + r.varint();
      const key = r.bytes();
      const value = r.bytes();
      const headerCount = r.varint();
      for (let h = 0; h < headerCount; h++) {
        r.bytes();
        r.bytes();
      }
      out.push({ offset, timestamp, key, value });
    }
    pos += size;
  }
  return out;
}

/** The base offsets of the batches in `buf`, in order. */
export function batchBaseOffsets(buf: Buffer): number[] {
  const out: number[] = [];
  for (let pos = 0; pos < buf.length; pos += buf.readInt32BE(pos + 8) + 12) {
    out.push(Number(buf.readBigInt64BE(pos)));
  }
  return out;
}
