import {
  closeSync,
  existsSync,
  fstatSync,
  fdatasyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import type { ScanOutcome, ScannedBatch } from './batch-scanner';
import { firstRecordAtOrAfter } from '../records/record-batch';
import { scanBatches } from './batch-scanner';
import { readFully } from './file-window';
import { OFFSET_INDEX_ENTRY_SIZE, OffsetIndex } from './offset-index';
import type { SegmentSuffix } from './segment-files';
import { INDEX_SUFFIX, LOG_SUFFIX, TIME_INDEX_SUFFIX, segmentPath } from './segment-files';
import { TIME_INDEX_ENTRY_SIZE, TimeIndex } from './time-index';

/** What the segment needs to know about a batch to place it and index it. */
export interface SegmentBatch {
  data: Buffer;
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
}

export interface BatchLocation {
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  position: number;
  size: number;
}

interface OpenFiles {
  log: number;
  index: number;
  timeIndex: number;
}

/**
 * One segment: a `.log` file of whole batches plus its sparse `.index` and `.timeindex`. Only the active
 * (last) segment keeps file descriptors open; older ones open their log per read so a broker with many
 * partitions does not run out of descriptors.
 */
export class Segment {
  private offsetIndex: OffsetIndex;
  private timeIndex: TimeIndex;
  private files: OpenFiles | null;
  private sizeBytes: number;
  private next: number;
  private maxTs = -1;
  private offsetOfMaxTs: number;
  private bytesSinceIndexEntry = 0;
  /** Index files that did not exist when the segment was opened: rebuilt whatever their content. */
  private readonly missingIndexFiles = new Set<SegmentSuffix>();

  private constructor(
    readonly dir: string,
    readonly baseOffset: number,
    private readonly indexIntervalBytes: number,
    files: OpenFiles,
    size: number,
  ) {
    this.files = files;
    this.sizeBytes = size;
    this.next = baseOffset;
    this.offsetOfMaxTs = baseOffset;
    this.offsetIndex = new OffsetIndex(baseOffset);
    this.timeIndex = new TimeIndex(baseOffset);
  }

  /** A new, empty active segment (replacing any files of that name). */
  static create(dir: string, baseOffset: number, indexIntervalBytes: number): Segment {
    const files = {
      log: openSync(segmentPath(dir, baseOffset, LOG_SUFFIX), 'w+'),
      index: openSync(segmentPath(dir, baseOffset, INDEX_SUFFIX), 'w+'),
      timeIndex: openSync(segmentPath(dir, baseOffset, TIME_INDEX_SUFFIX), 'w+'),
    };
    return new Segment(dir, baseOffset, indexIntervalBytes, files, 0);
  }

  /**
   * Opens an existing segment for recovery. Its indexes stay empty until rebuildIndexes; `indexMissing`
   * tells the caller that the log must be fully verified because nothing vouches for it.
   */
  static openExisting(
    dir: string,
    baseOffset: number,
    indexIntervalBytes: number,
  ): { segment: Segment; indexMissing: boolean } {
    const indexPath = segmentPath(dir, baseOffset, INDEX_SUFFIX);
    const timeIndexPath = segmentPath(dir, baseOffset, TIME_INDEX_SUFFIX);
    const indexExisted = existsSync(indexPath);
    const timeIndexExisted = existsSync(timeIndexPath);
    const indexMissing = !indexExisted || !timeIndexExisted;
    const log = openSync(segmentPath(dir, baseOffset, LOG_SUFFIX), 'r+');
    const files = {
      log,
      index: openSync(indexPath, indexExisted ? 'r+' : 'w+'),
      timeIndex: openSync(timeIndexPath, timeIndexExisted ? 'r+' : 'w+'),
    };
    const segment = new Segment(dir, baseOffset, indexIntervalBytes, files, fstatSync(log).size);
    if (!indexExisted) segment.missingIndexFiles.add(INDEX_SUFFIX);
    if (!timeIndexExisted) segment.missingIndexFiles.add(TIME_INDEX_SUFFIX);
    return { segment, indexMissing };
  }

  get size(): number {
    return this.sizeBytes;
  }

  /** One past the last offset in this segment (its base offset when empty). */
  get nextOffset(): number {
    return this.next;
  }

  /** Largest batch timestamp in the segment, -1 when it has none. */
  get maxTimestamp(): number {
    return this.maxTs;
  }

  get isEmpty(): boolean {
    return this.sizeBytes === 0;
  }

  get isActive(): boolean {
    return this.files !== null;
  }

  /** Modification time of the log file: the age of a segment whose batches carry no timestamps. */
  lastModifiedMs(): number {
    return statSync(segmentPath(this.dir, this.baseOffset, LOG_SUFFIX)).mtimeMs;
  }

  /** Walks the log's batches (see scanBatches). */
  scan(verifyCrc: boolean, visit: (batch: ScannedBatch) => string | null): ScanOutcome {
    return this.withLogFd((fd) => scanBatches(fd, 0, this.sizeBytes, verifyCrc, visit));
  }

  /** Cuts the log at `position` (recovery of a torn or corrupt tail). */
  truncateTo(position: number): void {
    const files = this.requireFiles();
    ftruncateSync(files.log, position);
    this.sizeBytes = position;
  }

  /**
   * Recomputes both indexes from the batches found by a scan and rewrites each index file whose content
   * differs. `sealed` adds the final time-index entry that a roll writes. Returns how many files changed.
   */
  rebuildIndexes(batches: readonly BatchLocation[], sealed: boolean): number {
    const files = this.requireFiles();
    this.offsetIndex = new OffsetIndex(this.baseOffset);
    this.timeIndex = new TimeIndex(this.baseOffset);
    this.next = this.baseOffset;
    this.maxTs = -1;
    this.offsetOfMaxTs = this.baseOffset;
    this.bytesSinceIndexEntry = 0;
    for (const batch of batches) this.track(batch);
    if (sealed) this.timeIndex.maybeAdd(this.maxTs, this.offsetOfMaxTs);
    let rewritten = 0;
    for (const [fd, suffix, content] of [
      [files.index, INDEX_SUFFIX, this.offsetIndex.encode()],
      [files.timeIndex, TIME_INDEX_SUFFIX, this.timeIndex.encode()],
    ] as const) {
      const wasMissing = this.missingIndexFiles.delete(suffix);
      if (!wasMissing && readFileSync(segmentPath(this.dir, this.baseOffset, suffix)).equals(content))
        continue;
      ftruncateSync(fd, 0);
      writeFully(fd, content, 0);
      rewritten++;
    }
    return rewritten;
  }

  /** Appends batches that already carry their final offsets. On a write error the log is cut back. */
  append(batches: readonly SegmentBatch[]): void {
    const files = this.requireFiles();
    const start = this.sizeBytes;
    const data =
      batches.length === 1 && batches[0] ? batches[0].data : Buffer.concat(batches.map((b) => b.data));
    try {
      writeFully(files.log, data, start);
    } catch (err) {
      ftruncateSync(files.log, start);
      throw err;
    }
    const indexEntries: Buffer[] = [];
    const timeEntries: Buffer[] = [];
    let position = start;
    for (const b of batches) {
      const entries = this.track({ ...b, position, size: b.data.length });
      if (entries.index) indexEntries.push(entries.index);
      if (entries.time) timeEntries.push(entries.time);
      position += b.data.length;
    }
    this.sizeBytes = position;
    // The index files mirror the in-memory indexes, so the entries just added go at their end.
    if (indexEntries.length > 0) {
      const data = Buffer.concat(indexEntries);
      writeFully(files.index, data, this.offsetIndex.entryCount * OFFSET_INDEX_ENTRY_SIZE - data.length);
    }
    if (timeEntries.length > 0) {
      const data = Buffer.concat(timeEntries);
      writeFully(files.timeIndex, data, this.timeIndex.entryCount * TIME_INDEX_ENTRY_SIZE - data.length);
    }
  }

  /** Turns the active segment into a read-only one: final time-index entry, fsync, close descriptors. */
  seal(): void {
    const files = this.requireFiles();
    const entry = this.timeIndex.maybeAdd(this.maxTs, this.offsetOfMaxTs);
    if (entry) writeFully(files.timeIndex, entry, (this.timeIndex.entryCount - 1) * TIME_INDEX_ENTRY_SIZE);
    this.flush();
    this.close();
  }

  /** Reopens a closed segment for appending (recovery found that a later segment had to go). */
  activate(): void {
    if (this.files) return;
    this.files = {
      log: openSync(segmentPath(this.dir, this.baseOffset, LOG_SUFFIX), 'r+'),
      index: openSync(segmentPath(this.dir, this.baseOffset, INDEX_SUFFIX), 'r+'),
      timeIndex: openSync(segmentPath(this.dir, this.baseOffset, TIME_INDEX_SUFFIX), 'r+'),
    };
  }

  /**
   * Makes the log file durable. The indexes are not synced: every open recomputes them from the log and
   * rewrites any that a crash left behind, so syncing them would only cost time.
   */
  flush(): void {
    if (this.files) fdatasyncSync(this.files.log);
  }

  close(): void {
    if (!this.files) return;
    closeSync(this.files.log);
    closeSync(this.files.index);
    closeSync(this.files.timeIndex);
    this.files = null;
  }

  /** Closes and removes the segment's files; the log first so a crash midway leaves only stray indexes. */
  delete(): void {
    this.close();
    for (const suffix of [LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX] as const) {
      try {
        unlinkSync(segmentPath(this.dir, this.baseOffset, suffix));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }

  /** File position of the batch that contains `offset`, or null if no batch in this segment does. */
  positionOf(offset: number): number | null {
    if (offset < this.baseOffset || offset >= this.next) return null;
    const start = this.offsetIndex.floorPosition(offset);
    let found: number | null = null;
    this.withLogFd((fd) =>
      scanBatches(fd, start, this.sizeBytes, false, (b) => {
        if (b.header.baseOffset + b.header.lastOffsetDelta < offset) return null;
        found = b.position;
        return 'found';
      }),
    );
    return found;
  }

  /** Whole batches from `position`, up to maxBytes but at least one batch (Kafka's fetch rule). */
  readFrom(position: number, maxBytes: number): Buffer {
    return this.withLogFd((fd) => {
      const available = this.sizeBytes - position;
      if (available <= 0) return Buffer.alloc(0);
      const want = Math.min(Math.max(maxBytes, 0), available);
      const buf = Buffer.allocUnsafe(Math.max(want, 12));
      const got = readFully(fd, buf, 0, want, position);
      let whole = 0;
      while (whole + 12 <= got) {
        const size = buf.readInt32BE(whole + 8) + 12;
        if (whole + size > got) break;
        whole += size;
      }
      if (whole > 0) return buf.subarray(0, whole);
      // The first batch is larger than maxBytes: serve it whole anyway so the consumer can make progress.
      readFully(fd, buf, 0, 12, position);
      const size = buf.readInt32BE(8) + 12;
      const first = Buffer.allocUnsafe(size);
      readFully(fd, first, 0, size, position);
      return first;
    });
  }

  /**
   * The first record stamped at or after `ts`, found from the time index plus a short forward walk to the
   * first batch whose maxTimestamp >= ts. Inside a compressed batch it answers the batch's base offset.
   */
  findByTimestamp(ts: number): { offset: number; timestamp: number } | null {
    if (this.maxTs < ts) return null;
    const before = this.timeIndex.lastEntryBefore(ts);
    const start = before ? this.offsetIndex.floorPosition(before.offset) : 0;
    let found: { offset: number; timestamp: number } | null = null;
    this.withLogFd((fd) =>
      scanBatches(fd, start, this.sizeBytes, false, (b) => {
        if (b.header.maxTimestamp < ts) return null;
        const batch = Buffer.allocUnsafe(b.size);
        readFully(fd, batch, 0, b.size, b.position);
        found = firstRecordAtOrAfter(batch, ts) ?? {
          offset: b.header.baseOffset,
          timestamp: b.header.maxTimestamp,
        };
        return 'found';
      }),
    );
    return found;
  }

  /** Updates offsets, max timestamp and index entries for a batch placed at `position`. */
  private track(b: BatchLocation): { index: Buffer | null; time: Buffer | null } {
    let index: Buffer | null = null;
    let time: Buffer | null = null;
    if (b.maxTimestamp > this.maxTs) {
      this.maxTs = b.maxTimestamp;
      this.offsetOfMaxTs = b.baseOffset;
    }
    if (this.bytesSinceIndexEntry >= this.indexIntervalBytes) {
      index = this.offsetIndex.add(b.baseOffset, b.position);
      time = this.timeIndex.maybeAdd(this.maxTs, this.offsetOfMaxTs);
      this.bytesSinceIndexEntry = 0;
    }
    this.bytesSinceIndexEntry += b.size;
    this.next = b.lastOffset + 1;
    return { index, time };
  }

  private requireFiles(): OpenFiles {
    if (!this.files) throw new Error(`segment ${this.baseOffset} in ${this.dir} is closed`);
    return this.files;
  }

  private withLogFd<T>(fn: (fd: number) => T): T {
    if (this.files) return fn(this.files.log);
    const fd = openSync(segmentPath(this.dir, this.baseOffset, LOG_SUFFIX), 'r');
    try {
      return fn(fd);
    } finally {
      closeSync(fd);
    }
  }
}

function writeFully(fd: number, data: Buffer, position: number): void {
  let done = 0;
  while (done < data.length) {
    done += writeSync(fd, data, done, data.length - done, position + done);
  }
}
