import duckdb from '@duckdb/node-bindings';
import { copyOfField, type ByteField } from '../../kafka/record-batch-builder';

/** A string_t entry: 4 bytes length, then 12 bytes inline or a 4-byte prefix and an 8-byte pointer. */
const ENTRY = 16;
const INLINE = 12;
/** Largest gap between one value's end and the next one's start that a run may span (allocation padding). */
const MAX_GAP = 8;

/** A vector's validity mask as bytes (bit i of byte i >> 3), or null when every row is valid. */
export function validityOf(vector: duckdb.Vector, count: number): Uint8Array | null {
  const mask = duckdb.vector_get_validity(vector, Math.ceil(count / 64) * 8);
  return mask && mask.length > 0 ? mask : null;
}

export function isValid(mask: Uint8Array | null, i: number): boolean {
  return mask === null || ((mask[i >> 3] as number) & (1 << (i & 7))) !== 0;
}

/**
 * The values of one BLOB (or VARCHAR) column of a result chunk, as bytes, with a native copy per *run* of
 * values instead of one per value. DuckDB keeps the longer values of a vector one after another in its
 * string heap, so a chunk's 2,048 values form a handful of runs; each run is copied out with one call and
 * every value is a (buffer, start, length) into it. Short values (≤ 12 bytes) are read from the entry
 * itself, a view into the chunk that lives as long as the chunk does.
 *
 * Memory safety does not depend on that layout: a run only grows by a value that starts at most 8 bytes
 * past the previous one's end, so every byte it copies lies between two valid values (at most one page
 * boundary apart); values stored anywhere else start a run of their own. Measured on 400k REES46-sized
 * JSON values: 0.6 µs of CPU a row (DuckDB included) against 2.7 µs for a copy per value (getItemBytes).
 */
export class BytesColumn implements ByteField {
  private readonly data: Uint8Array;
  private readonly view: DataView;
  private readonly validity: Uint8Array | null;
  /** Per row: the index into `runs`, −1 for a value inline in the entry, −2 for null. */
  private readonly runOf: Int32Array;
  private readonly startOf_: Int32Array;
  private readonly lengthOf_: Int32Array;
  private readonly runs: Uint8Array[] = [];

  constructor(vector: duckdb.Vector, count: number) {
    this.data = duckdb.vector_get_data(vector, count * ENTRY);
    this.view = new DataView(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    this.validity = validityOf(vector, count);
    this.runOf = new Int32Array(count);
    this.startOf_ = new Int32Array(count);
    this.lengthOf_ = new Int32Array(count);
    this.locate(count);
  }

  private locate(count: number): void {
    const v = this.view;
    let runFirst = -1;
    let runStart = 0;
    let runEnd = 0;
    const close = () => {
      if (runFirst < 0) return;
      this.runs.push(
        duckdb.get_data_from_pointer(
          this.data.buffer as ArrayBuffer,
          this.data.byteOffset + runFirst * ENTRY + 8,
          runEnd - runStart,
        ),
      );
      runFirst = -1;
    };
    for (let i = 0; i < count; i++) {
      if (!isValid(this.validity, i)) {
        this.runOf[i] = -2;
        continue;
      }
      const length = v.getUint32(i * ENTRY, true);
      this.lengthOf_[i] = length;
      if (length <= INLINE) {
        this.runOf[i] = -1;
        this.startOf_[i] = i * ENTRY + 4;
        continue;
      }
      // Pointers are below 2^53 on every platform Node runs on (47- or 48-bit user space).
      const at = v.getUint32(i * ENTRY + 8, true) + v.getUint32(i * ENTRY + 12, true) * 0x1_0000_0000;
      if (runFirst < 0 || at < runEnd || at - runEnd > MAX_GAP) {
        close();
        runFirst = i;
        runStart = at;
      }
      this.runOf[i] = this.runs.length;
      this.startOf_[i] = at - runStart;
      runEnd = at + length;
    }
    close();
  }

  isNull(i: number): boolean {
    return this.runOf[i] === -2;
  }

  bufferOf(i: number): Uint8Array | null {
    const run = this.runOf[i] as number;
    if (run === -2) return null;
    return run === -1 ? this.data : (this.runs[run] as Uint8Array);
  }

  startOf(i: number): number {
    return this.startOf_[i] as number;
  }

  lengthOf(i: number): number {
    return this.lengthOf_[i] as number;
  }

  /** The value as its own bytes (a copy), for the rare paths that keep it. */
  copy(i: number): Buffer | null {
    return copyOfField(this, i);
  }
}
