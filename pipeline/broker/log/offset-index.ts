/**
 * Sparse offset index of one segment: entries of (offset relative to the segment's base offset int32, file
 * position int32), 8 bytes each, in increasing order. Each entry points at the start of a batch whose base
 * offset is the entry's offset. Kept in memory (a 64 MiB segment at one entry per 4 KiB is 128 KiB) and
 * mirrored to the `.index` file.
 */
export const OFFSET_INDEX_ENTRY_SIZE = 8;

export class OffsetIndex {
  private readonly relOffsets: number[] = [];
  private readonly positions: number[] = [];

  constructor(readonly baseOffset: number) {}

  get entryCount(): number {
    return this.relOffsets.length;
  }

  /** Adds an entry and returns its 8 bytes, ready to append to the file. */
  add(offset: number, position: number): Buffer {
    const rel = offset - this.baseOffset;
    this.relOffsets.push(rel);
    this.positions.push(position);
    const entry = Buffer.alloc(OFFSET_INDEX_ENTRY_SIZE);
    entry.writeInt32BE(rel, 0);
    entry.writeInt32BE(position, 4);
    return entry;
  }

  /** File position of the last indexed batch starting at or before `offset`; 0 (segment start) if none. */
  floorPosition(offset: number): number {
    const rel = offset - this.baseOffset;
    let lo = 0;
    let hi = this.relOffsets.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.relOffsets[mid] ?? 0) <= rel) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? 0 : (this.positions[found] ?? 0);
  }

  /** Drops entries at or beyond `position` (after a truncation). */
  truncateToPosition(position: number): void {
    while (this.positions.length > 0 && (this.positions[this.positions.length - 1] ?? 0) >= position) {
      this.positions.pop();
      this.relOffsets.pop();
    }
  }

  encode(): Buffer {
    const buf = Buffer.alloc(this.relOffsets.length * OFFSET_INDEX_ENTRY_SIZE);
    this.relOffsets.forEach((rel, i) => {
      buf.writeInt32BE(rel, i * OFFSET_INDEX_ENTRY_SIZE);
      buf.writeInt32BE(this.positions[i] ?? 0, i * OFFSET_INDEX_ENTRY_SIZE + 4);
    });
    return buf;
  }
}
