/**
 * A partition's pending Bronze rows as one block of delimited text that DuckDB's CSV reader takes in a single
 * statement (no per-row native call): `offset US timestampMs US key US headers US value US hex LF`, with US
 * (0x1F) between fields, headers as `k RS v RS k RS v` (RS 0x1E) and STX (0x02) for null. Message values
 * are canonical JSON text, which never holds a raw control byte, so they are copied verbatim. A row that
 * could not survive that framing (control bytes, invalid UTF-8) is written hex-encoded instead (hex = 1);
 * a key or value that is not UTF-8 makes DuckDB refuse the block, which is then rewritten all hex.
 */
export const US = 0x1f;
export const RS = '\x1e';
export const NULL_FIELD = '\x02';

/** A header as kafkajs and the wire give it: a string key and bytes (or text) value. */
export type HeaderValue = Buffer | string | (Buffer | string)[] | undefined | null;

export class BronzeRows {
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

  constructor(initialBytes = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  get bytes(): number {
    return this.used;
  }

  /** The text block (a view, valid until the next append). */
  view(): Buffer {
    return this.buf.subarray(0, this.used);
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
    const start = this.used;
    this.write(offset, timestampMs, key, headers, value);
    if (this.used - start > this.longest) this.longest = this.used - start;
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

  /** The same rows, every one hex-encoded: used when DuckDB refuses the text block. */
  static hexOf(rows: ParsedRow[]): BronzeRows {
    const out = new BronzeRows(Math.max(1024, rows.length * 64));
    for (const r of rows) out.appendHex(r);
    return out;
  }

  private appendHex(r: ParsedRow): void {
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
