/**
 * A partition's pending Bronze rows as one block of delimited text that DuckDB's CSV reader takes in a single
 * statement (no per-row native call): `offset US timestampMs US key US headers US value US hex LF`, with US
 * (0x1F) between fields, headers as `k RS v RS k RS v` (RS 0x1E) and STX (0x02) for null. Message values
 * are canonical JSON text, which never holds a raw control byte, so they are copied verbatim. A row that
 * could not survive that framing (control bytes, invalid UTF-8) is written hex-encoded instead (hex = 1);
 * a key or value that is not UTF-8 makes DuckDB refuse the block, which is then rewritten all hex.
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import type { RecordSink, RecordView } from '../kafka/record-decoder';

export const US = 0x1f;
export const RS = '\x1e';
export const NULL_FIELD = '\x02';

/** A header as kafkajs and the wire give it: a string key and bytes (or text) value. */
export type HeaderValue = Buffer | string | (Buffer | string)[] | undefined | null;

const SOURCE_KEY = Buffer.from('clickpulse.source');
const ROW_KEY = Buffer.from('clickpulse.row');

/** Whether src[start, end) holds exactly the bytes of key. */
function sameBytes(src: Buffer, start: number, end: number, key: Buffer): boolean {
  if (end - start !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (src[start + i] !== key[i]) return false;
  return true;
}

export class BronzeRows implements RecordSink {
  /**
   * True while every row's headers are exactly the replay's lineage (clickpulse.source, then clickpulse.row):
   * Bronze then builds the headers map with constant keys, 17 % less CPU for its Parquet statement.
   */
  lineageOnly = true;
  private buf: Buffer;
  private used = 0;
  count = 0;
  first = -1;
  last = -1;
  oldestMs = Number.POSITIVE_INFINITY;
  /** When the first row arrived (for the flush timer). */
  since = 0;
  /** Rows written hex-encoded (for tests and the status). */
  hexRows = 0;
  /** Longest row so far, in bytes: DuckDB's reader must be told about lines over its 2 MB default. */
  longest = 0;

  /** The block's text file, once rows were moved there (see spill). */
  private file: { path: string; fd: number } | null = null;

  /** A fresh block, in a new buffer of this many bytes or in a buffer an earlier block handed back. */
  constructor(buffer: number | Buffer = 1 << 20) {
    this.buf = typeof buffer === 'number' ? Buffer.allocUnsafe(buffer) : buffer;
  }

  /** Bytes held in memory (not yet in the text file). */
  get bytes(): number {
    return this.used;
  }

  /** The rows held in memory as text (a view, valid until the next append); the whole block unless spilled. */
  view(): Buffer {
    return this.buf.subarray(0, this.used);
  }

  /**
   * Moves the rows held in memory to the block's text file (created at `path` by the first call), so a block
   * never needs memory for more than what came since the last call, whatever its size.
   */
  spill(path: string): void {
    this.file ??= { path, fd: openSync(path, 'w') };
    for (let at = 0; at < this.used;) at += writeSync(this.file.fd, this.buf, at, this.used - at);
    this.used = 0;
  }

  /** Ends the block: every row is in the text file at `path`. Returns the buffer, for the next block. */
  finish(path: string): Buffer {
    this.spill(path);
    if (this.file) closeSync(this.file.fd);
    this.file = null;
    const buf = this.buf;
    this.buf = Buffer.alloc(0);
    return buf;
  }

  /** Drops the block, and its text file if it has one. */
  discard(): void {
    if (!this.file) return;
    closeSync(this.file.fd);
    rmSync(this.file.path, { force: true });
    this.file = null;
  }

  append(
    offset: number,
    timestampMs: number,
    key: Buffer | null,
    headers: Record<string, HeaderValue> | null,
    value: Buffer | null,
  ): void {
    if (this.count === 0) {
      this.first = offset;
      this.since = Date.now();
    }
    this.count++;
    this.last = offset;
    if (timestampMs < this.oldestMs) this.oldestMs = timestampMs;
    this.lineageOnly = false;
    const start = this.used;
    this.write(offset, timestampMs, key, headers, value);
    if (this.used - start > this.longest) this.longest = this.used - start;
  }

  /**
   * Takes one record straight from a fetched batch (see decodeRecordBatches): key, headers and value are
   * copied from the batch's bytes into the text block, with no string or object per record on the usual path.
   */
  record(v: RecordView): void {
    const src = v.buf;
    const h = v.headers;
    const n = v.headerCount;
    const keyBytes = v.keyStart < 0 ? 1 : v.keyEnd - v.keyStart;
    const valueBytes = v.valueStart < 0 ? 1 : v.valueEnd - v.valueStart;
    const headerBytes = n === 0 ? 0 : (h[n * 4 - 1] ?? 0) - (h[0] ?? 0) + n * 2;
    if (
      this.lineageOnly &&
      (n !== 2 ||
        (h[2] ?? 0) < 0 ||
        (h[6] ?? 0) < 0 ||
        !sameBytes(src, h[0] ?? 0, h[1] ?? 0, SOURCE_KEY) ||
        !sameBytes(src, h[4] ?? 0, h[5] ?? 0, ROW_KEY))
    )
      this.lineageOnly = false;
    this.ensure(48 + keyBytes + headerBytes + valueBytes);
    // One pass copies each field and checks it can be framed; a field that cannot rolls the row back.
    const out = this.buf;
    const start = this.used;
    let at = writeDecimal(out, start, v.offset);
    out[at++] = US;
    at = writeDecimal(out, at, v.timestamp);
    out[at++] = US;
    if (src !== this.scanned) this.scan(src);
    at = this.copyField(src, v.keyStart, v.keyEnd, out, at);
    if (at >= 0) {
      out[at++] = US;
      for (let j = 0; j < n && at >= 0; j++) {
        if (j > 0) out[at++] = 0x1e;
        at = copyHeaderText(src, h[j * 4] ?? 0, h[j * 4 + 1] ?? 0, out, at);
        if (at < 0) break;
        out[at++] = 0x1e;
        at = copyHeaderText(src, h[j * 4 + 2] ?? 0, h[j * 4 + 3] ?? 0, out, at);
      }
    }
    if (at >= 0) {
      out[at++] = US;
      at = this.copyField(src, v.valueStart, v.valueEnd, out, at);
    }
    if (at < 0) {
      this.append(
        v.offset,
        v.timestamp,
        bytesOf(src, v.keyStart, v.keyEnd),
        headersOf(v),
        bytesOf(src, v.valueStart, v.valueEnd),
      );
      return;
    }
    out[at++] = US;
    out[at++] = 0x30;
    out[at++] = 0x0a;
    this.used = at;
    if (this.count === 0) {
      this.first = v.offset;
      this.since = Date.now();
    }
    this.count++;
    this.last = v.offset;
    if (v.timestamp < this.oldestMs) this.oldestMs = v.timestamp;
    if (at - start > this.longest) this.longest = at - start;
  }

  private write(
    offset: number,
    timestampMs: number,
    key: Buffer | null,
    headers: Record<string, HeaderValue> | null,
    value: Buffer | null,
  ): void {
    const h = headerText(headers);
    if (h !== null && plain(key) && plain(value)) {
      const head = `${offset}\x1f${timestampMs}\x1f`;
      this.ensure(head.length + (key?.length ?? 1) + h.length * 3 + (value?.length ?? 1) + 8);
      this.used += this.buf.write(head, this.used, 'latin1');
      this.copy(key);
      this.buf[this.used++] = US;
      this.used += this.buf.write(h, this.used, 'utf8');
      this.buf[this.used++] = US;
      this.copy(value);
      this.used += this.buf.write('\x1f0\n', this.used, 'latin1');
      return;
    }
    this.hexRows++;
    // The rare row that cannot be framed as text: every field hex, headers as JSON text.
    const json = JSON.stringify(Object.fromEntries(headerPairs(headers)));
    const line = [
      offset,
      timestampMs,
      key === null ? NULL_FIELD : Buffer.from(key.toString('utf8')).toString('hex'),
      Buffer.from(json).toString('hex'),
      value === null ? NULL_FIELD : value.toString('hex'),
      '1\n',
    ].join('\x1f');
    this.ensure(line.length);
    this.used += this.buf.write(line, this.used, 'latin1');
  }

  /** The records section `scan` last looked at, and where LF and US bytes lie in it (ascending). */
  private scanned: Buffer | null = null;
  private breaks = new Int32Array(256);
  private breakCount = 0;
  private nextBreak = 0;

  /**
   * Finds every LF and US byte of a records section with native searches, once: a field is then checked
   * by comparing positions instead of looking at each of its bytes (a JS byte loop cost ~3 ns a byte).
   * Most hits are inside varints; the records are visited in order, so the cursor only moves forward.
   */
  private scan(src: Buffer): void {
    this.scanned = src;
    let n = 0;
    for (const byte of [0x0a, US]) {
      for (let at = src.indexOf(byte); at >= 0; at = src.indexOf(byte, at + 1)) {
        if (n === this.breaks.length) {
          const grown = new Int32Array(n * 2);
          grown.set(this.breaks);
          this.breaks = grown;
        }
        this.breaks[n++] = at;
      }
    }
    this.breaks.subarray(0, n).sort();
    this.breakCount = n;
    this.nextBreak = 0;
  }

  /**
   * Copies a key or value src[start, end) to out at `at`, STX for null (start −1); returns the position after
   * it, or −1 when it holds LF or US or is a lone STX (see plain): that row takes the slow path.
   */
  private copyField(src: Buffer, start: number, end: number, out: Buffer, at: number): number {
    if (start < 0) {
      out[at] = 0x02;
      return at + 1;
    }
    if (end - start === 1 && src[start] === 0x02) return -1;
    const breaks = this.breaks;
    while (this.nextBreak < this.breakCount && (breaks[this.nextBreak] ?? 0) < start) this.nextBreak++;
    if (this.nextBreak < this.breakCount && (breaks[this.nextBreak] ?? 0) < end) return -1;
    if (end - start < 24) {
      for (let i = start; i < end; i++) out[at++] = src[i] ?? 0;
      return at;
    }
    // TypedArray#set is a V8 builtin; Buffer#copy goes through a slower JS wrapper (_copyActual).
    out.set(src.subarray(start, end), at);
    return at + end - start;
  }

  /** The same rows, every one hex-encoded: used when DuckDB refuses the text block. */
  static hexOf(rows: ParsedRow[]): BronzeRows {
    const out = new BronzeRows(Math.max(1024, rows.length * 64));
    for (const r of rows) out.appendHex(r);
    return out;
  }

  private appendHex(r: ParsedRow): void {
    this.lineageOnly = false;
    if (this.count === 0) this.first = r.offset;
    this.count++;
    this.last = r.offset;
    this.hexRows++;
    const line = `${r.offset}\x1f${r.timestampMs}\x1f${r.key}\x1f${r.headers}\x1f${r.value}\x1f1\n`;
    if (line.length > this.longest) this.longest = line.length;
    this.ensure(line.length);
    this.used += this.buf.write(line, this.used, 'latin1');
  }

  private copy(b: Buffer | null): void {
    if (b === null) {
      this.buf[this.used++] = 0x02;
      return;
    }
    this.buf.set(b, this.used);
    this.used += b.length;
  }

  private ensure(extra: number): void {
    if (this.used + extra <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + extra));
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }
}

/** A row as the slow path rebuilds it from the text block, every field already hex (or STX for null). */
export interface ParsedRow {
  offset: number;
  timestampMs: number;
  key: string;
  headers: string;
  value: string;
}

/**
 * Re-reads a text block in JS, hex-encoding each row: the fallback when DuckDB refused the block (a key or
 * value that is not UTF-8). Fields never hold LF or US (append checks), so lines and fields split cleanly.
 */
export function splitRows(block: Buffer): ParsedRow[] {
  const rows: ParsedRow[] = [];
  let pos = 0;
  while (pos < block.length) {
    let end = block.indexOf(0x0a, pos);
    if (end < 0) end = block.length;
    const f: Buffer[] = [];
    let at = pos;
    for (let i = 0; i < 5; i++) {
      const stop = block.indexOf(US, at);
      f.push(block.subarray(at, stop));
      at = stop + 1;
    }
    const hex = block[at] === 0x31;
    pos = end + 1;
    const [offset, ts, key, headers, value] = f as [Buffer, Buffer, Buffer, Buffer, Buffer];
    if (hex) {
      rows.push({
        offset: Number(offset.toString('latin1')),
        timestampMs: Number(ts.toString('latin1')),
        key: key.toString('latin1'),
        headers: headers.toString('latin1'),
        value: value.toString('latin1'),
      });
      continue;
    }
    const pairs = headers.length ? headers.toString('utf8').split(RS) : [];
    const obj: Record<string, string> = {};
    for (let j = 0; j + 1 < pairs.length; j += 2) obj[pairs[j] as string] = pairs[j + 1] as string;
    rows.push({
      offset: Number(offset.toString('latin1')),
      timestampMs: Number(ts.toString('latin1')),
      key: isNull(key) ? NULL_FIELD : Buffer.from(key.toString('utf8')).toString('hex'),
      headers: Buffer.from(JSON.stringify(obj)).toString('hex'),
      value: isNull(value) ? NULL_FIELD : value.toString('hex'),
    });
  }
  return rows;
}

function isNull(b: Buffer): boolean {
  return b.length === 1 && b[0] === 0x02;
}

/** Bytes that can be copied into the text block as they are (a lone STX would read back as null). */
function plain(b: Buffer | null): boolean {
  if (b === null) return true;
  if (b.length === 1 && b[0] === 0x02) return false;
  return b.indexOf(0x0a) < 0 && b.indexOf(US) < 0;
}

function headerPairs(headers: Record<string, HeaderValue> | null): [string, string][] {
  if (!headers) return [];
  return Object.entries(headers).map(([k, v]) => [
    k,
    Array.isArray(v) ? v.map(String).join(',') : String(v ?? ''),
  ]);
}

// Control bytes are exactly what the framing must keep out of headers.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f]/;

/** Headers as `k RS v RS …`, or null when a key or value holds a control byte (that row goes hex). */
function headerText(headers: Record<string, HeaderValue> | null): string | null {
  let out = '';
  if (!headers) return out;
  for (const k in headers) {
    const v = headers[k];
    const s = Array.isArray(v) ? v.map(String).join(',') : String(v ?? '');
    if (CONTROL.test(k) || CONTROL.test(s)) return null;
    out += out ? `${RS}${k}${RS}${s}` : `${k}${RS}${s}`;
  }
  return out;
}

/** Copies a header key or value (start −1: null, written as empty); −1 when it holds a control byte. */
function copyHeaderText(src: Buffer, start: number, end: number, out: Buffer, at: number): number {
  if (start < 0) return at;
  for (let i = start; i < end; i++) {
    const b = src[i] ?? 0;
    if (b < 0x20) return -1;
    out[at++] = b;
  }
  return at;
}

function bytesOf(buf: Buffer, start: number, end: number): Buffer | null {
  return start < 0 ? null : buf.subarray(start, end);
}

/** The rare record that needs the slow path: its headers as the object append takes. */
function headersOf(v: RecordView): Record<string, HeaderValue> {
  const out: Record<string, HeaderValue> = {};
  const h = v.headers;
  for (let j = 0; j < v.headerCount; j++) {
    const key = v.buf.toString('utf8', h[j * 4], h[j * 4 + 1]);
    out[key] = (h[j * 4 + 2] ?? 0) < 0 ? null : v.buf.subarray(h[j * 4 + 2], h[j * 4 + 3]);
  }
  return out;
}

/** Writes a non-negative integer's decimal digits at pos (latin1); returns the position after. */
function writeDecimal(buf: Buffer, pos: number, n: number): number {
  if (n < 0 || !Number.isSafeInteger(n)) return pos + buf.write(String(n), pos, 'latin1');
  let digits = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
  let at = pos + digits;
  let x = n;
  do {
    buf[--at] = 0x30 + (x % 10);
    x = Math.floor(x / 10);
  } while (x > 0);
  return pos + digits;
}
