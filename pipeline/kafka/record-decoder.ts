import {
  Attribute,
  BATCH_HEADER_SIZE,
  BATCH_LOG_OVERHEAD,
  BatchField,
  compressionCodec,
} from '../broker/records/record-batch';
import { decompress } from './compression';

/**
 * One record of a fetched batch, as positions into the batch's (decompressed) records section. A single
 * view is reused for every record of a fetch, so decoding allocates nothing per record: a sink copies what
 * it needs before the next record overwrites the view.
 */
export class RecordView {
  buf: Buffer = Buffer.alloc(0);
  offset = 0;
  timestamp = 0;
  /** -1 for a null key. */
  keyStart = -1;
  keyEnd = -1;
  /** -1 for a null value. */
  valueStart = -1;
  valueEnd = -1;
  headerCount = 0;
  /** Four numbers per header: key start, key end, value start, value end (value start -1: null). */
  headers = new Int32Array(16);
  /** Offset of the first record the last batch handed on. */
  firstHanded = -1;
}

/** Receives the records of a fetch, in offset order, through the one reused view. */
export interface RecordSink {
  record(view: RecordView): void;
}

/** A transaction the broker says was aborted (Fetch's abortedTransactions, read_committed). */
export interface AbortedTransaction {
  producerId: number;
  firstOffset: number;
}

export interface DecodedFetch {
  /** Offset after the last whole batch (control and aborted ones included): where the next fetch starts. */
  nextOffset: number;
  /** Records handed to the sink. */
  records: number;
  /** Offset of the first record handed to the sink (null: none). */
  first: number | null;
}

/**
 * Walks a Fetch response's records field — whole RecordBatches (magic 2), the last one possibly cut short
 * by the fetch size — and hands every data record at or after `from` to the sink. Control batches and, given
 * the broker's aborted transactions (read_committed), the batches of aborted transactions are skipped as
 * Kafka's consumers do. Compressed batches (gzip, lz4) are decompressed one batch at a time.
 */
export function decodeRecordBatches(
  records: Buffer,
  from: number,
  sink: RecordSink,
  aborted: readonly AbortedTransaction[] | null = null,
  view: RecordView = new RecordView(),
): DecodedFetch {
  let pos = 0;
  let nextOffset = from;
  let count = 0;
  let first: number | null = null;
  const pendingAborts = aborted?.length ? [...aborted].sort((a, b) => a.firstOffset - b.firstOffset) : [];
  const abortedProducers = new Set<number>();
  while (pos + BATCH_HEADER_SIZE <= records.length) {
    const size = records.readInt32BE(pos + BatchField.batchLength) + BATCH_LOG_OVERHEAD;
    if (pos + size > records.length) break; // the fetch size cut this batch: the next fetch gets it whole
    const magic = records.readInt8(pos + BatchField.magic);
    if (magic !== 2)
      throw new Error(`Kafka served a message set of format v${magic}: only RecordBatch v2 is read.`);
    const baseOffset = int64(records, pos + BatchField.baseOffset);
    const lastOffset = baseOffset + records.readInt32BE(pos + BatchField.lastOffsetDelta);
    const attributes = records.readInt16BE(pos + BatchField.attributes);
    const producerId = int64(records, pos + BatchField.producerId);
    while (pendingAborts.length && (pendingAborts[0] as AbortedTransaction).firstOffset <= lastOffset)
      abortedProducers.add((pendingAborts.shift() as AbortedTransaction).producerId);
    const control = (attributes & Attribute.control) !== 0;
    const skip =
      lastOffset < from ||
      control ||
      ((attributes & Attribute.transactional) !== 0 && abortedProducers.has(producerId));
    if (control && abortedProducers.has(producerId) && isAbortMarker(records, pos, size))
      abortedProducers.delete(producerId);
    if (!skip) {
      const body = decompress(
        compressionCodec(attributes),
        records.subarray(pos + BATCH_HEADER_SIZE, pos + size),
      );
      const logAppend = (attributes & Attribute.timestampTypeLogAppend) !== 0;
      const handed = readBatch(
        body,
        records.readInt32BE(pos + BatchField.recordsCount),
        baseOffset,
        logAppend
          ? int64(records, pos + BatchField.maxTimestamp)
          : int64(records, pos + BatchField.baseTimestamp),
        logAppend,
        from,
        sink,
        view,
      );
      if (handed > 0 && first === null) first = view.firstHanded;
      count += handed;
    }
    nextOffset = Math.max(nextOffset, lastOffset + 1);
    pos += size;
  }
  return { nextOffset, records: count, first };
}

/** The offset after the last whole batch in a records field, without decoding any record. */
export function nextOffsetOf(records: Buffer, from: number): number {
  let pos = 0;
  let next = from;
  while (pos + BATCH_HEADER_SIZE <= records.length) {
    const size = records.readInt32BE(pos + BatchField.batchLength) + BATCH_LOG_OVERHEAD;
    if (pos + size > records.length) break;
    const last =
      int64(records, pos + BatchField.baseOffset) + records.readInt32BE(pos + BatchField.lastOffsetDelta);
    next = Math.max(next, last + 1);
    pos += size;
  }
  return next;
}

function int64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * 0x1_0000_0000 + buf.readUInt32BE(pos + 4);
}

/** Reads records' varints in place: one cursor per batch, no tuple per number. */
class Cursor {
  constructor(
    readonly buf: Buffer,
    public pos: number,
  ) {}

  varint(): number {
    const buf = this.buf;
    let raw = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = buf[this.pos++];
      if (b === undefined) throw new Error('A fetched record is cut short inside a varint.');
      raw += (b & 0x7f) * scale;
      if (b < 0x80) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
      scale *= 128;
    }
    throw new Error('A fetched record holds a varint longer than 10 bytes.');
  }
}

function readBatch(
  body: Buffer,
  count: number,
  baseOffset: number,
  baseTimestamp: number,
  logAppend: boolean,
  from: number,
  sink: RecordSink,
  view: RecordView,
): number {
  const c = new Cursor(body, 0);
  view.buf = body;
  let handed = 0;
  view.firstHanded = -1;
  for (let i = 0; i < count && c.pos < body.length; i++) {
    const length = c.varint();
    const end = c.pos + length;
    if (end > body.length) throw new Error('A fetched record runs past the end of its batch.');
    c.pos += 1; // record attributes: unused in v2
    const timestampDelta = c.varint();
    const offset = baseOffset + c.varint();
    const keyLength = c.varint();
    view.keyStart = keyLength < 0 ? -1 : c.pos;
    if (keyLength > 0) c.pos += keyLength;
    view.keyEnd = keyLength < 0 ? -1 : c.pos;
    const valueLength = c.varint();
    view.valueStart = valueLength < 0 ? -1 : c.pos;
    if (valueLength > 0) c.pos += valueLength;
    view.valueEnd = valueLength < 0 ? -1 : c.pos;
    const headerCount = c.varint();
    if (headerCount * 4 > view.headers.length) view.headers = new Int32Array(headerCount * 8);
    const h = view.headers;
    for (let j = 0; j < headerCount; j++) {
      const kl = c.varint();
      h[j * 4] = c.pos;
      c.pos += Math.max(0, kl);
      h[j * 4 + 1] = c.pos;
      const vl = c.varint();
      h[j * 4 + 2] = vl < 0 ? -1 : c.pos;
      c.pos += Math.max(0, vl);
      h[j * 4 + 3] = c.pos;
    }
    if (c.pos > end)
      throw new Error(`The fetched record at offset ${offset} is longer than its length says.`);
    view.headerCount = headerCount;
    c.pos = end;
    if (offset < from) continue;
    view.offset = offset;
    view.timestamp = logAppend ? baseTimestamp : baseTimestamp + timestampDelta;
    if (handed === 0) view.firstHanded = offset;
    sink.record(view);
    handed++;
  }
  return handed;
}

/** A control batch's one record has key (version int16, type int16): type 0 is an abort marker. */
function isAbortMarker(records: Buffer, pos: number, size: number): boolean {
  try {
    const body = decompress(
      compressionCodec(records.readInt16BE(pos + BatchField.attributes)),
      records.subarray(pos + BATCH_HEADER_SIZE, pos + size),
    );
    const c = new Cursor(body, 0);
    c.varint(); // length
    c.pos += 1;
    c.varint(); // timestamp delta
    c.varint(); // offset delta
    const keyLength = c.varint();
    return keyLength >= 4 && body.readInt16BE(c.pos + 2) === 0;
  } catch {
    return false;
  }
}
