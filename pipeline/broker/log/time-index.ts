/**
 * Sparse time index of one segment: entries of (timestamp int64, offset relative to the segment's base
 * offset int32), 12 bytes each. An entry (T, o) says: T is the largest timestamp of every batch up to and
 * including the batch that starts at o. Timestamps strictly grow from entry to entry, so a lookup can skip
 * every batch up to the last entry whose timestamp is below the target. Mirrored to the `.timeindex` file.
 */
export const TIME_INDEX_ENTRY_SIZE = 12;

export interface TimeIndexEntry {
  timestamp: number;
  offset: number;
}

export class TimeIndex {
  private readonly timestamps: number[] = [];
  private readonly relOffsets: number[] = [];

  constructor(readonly baseOffset: number) {}

  get entryCount(): number {
    return this.timestamps.length;
  }

  /** Timestamp of the newest entry, -1 when empty. */
  get lastTimestamp(): number {
    return this.timestamps[this.timestamps.length - 1] ?? -1;
  }

  /** Adds an entry when `timestamp` is newer than the last one; returns its 12 bytes, or null if skipped. */
  maybeAdd(timestamp: number, offset: number): Buffer | null {
    if (timestamp <= this.lastTimestamp) return null;
    const rel = offset - this.baseOffset;
    this.timestamps.push(timestamp);
    this.relOffsets.push(rel);
    const entry = Buffer.alloc(TIME_INDEX_ENTRY_SIZE);
    writeInt64(entry, 0, timestamp);
    entry.writeInt32BE(rel, 8);
    return entry;
  }

  /** The last entry whose timestamp is below `timestamp`: every batch up to its offset is older. */
  lastEntryBefore(timestamp: number): TimeIndexEntry | null {
    let lo = 0;
    let hi = this.timestamps.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.timestamps[mid] ?? 0) < timestamp) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) return null;
    return {
      timestamp: this.timestamps[found] ?? 0,
      offset: this.baseOffset + (this.relOffsets[found] ?? 0),
    };
  }

  encode(): Buffer {
    const buf = Buffer.alloc(this.timestamps.length * TIME_INDEX_ENTRY_SIZE);
    this.timestamps.forEach((ts, i) => {
      writeInt64(buf, i * TIME_INDEX_ENTRY_SIZE, ts);
      buf.writeInt32BE(this.relOffsets[i] ?? 0, i * TIME_INDEX_ENTRY_SIZE + 8);
    });
    return buf;
  }
}

function writeInt64(buf: Buffer, pos: number, value: number): void {
  const hi = Math.floor(value / 0x1_0000_0000);
  buf.writeInt32BE(hi, pos);
  buf.writeUInt32BE(value - hi * 0x1_0000_0000, pos + 4);
}
