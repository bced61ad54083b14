/**
 * The log of one partition: a directory of Kafka-style segments (`<20-digit base offset>.log`, `.index`,
 * `.timeindex`), stored byte for byte as the producers sent them except for the base offset the log assigns.
 *
 * Durability (fsync policy):
 *  - flush: 'batch' fsyncs the active segment after every append, before the append returns. An
 *    acknowledged batch survives a process crash and a power loss. Slowest.
 *  - flush: 'interval' (the default, flushIntervalMs = 1000) writes each append to the operating system
 *    (page cache) before it returns and fsyncs at most flushIntervalMs later. On this single-node broker
 *    acks=all therefore means "written to the OS page cache": a crash or SIGKILL of the broker process loses
 *    nothing that was acknowledged, while a power loss or kernel crash may lose up to the last
 *    flushIntervalMs of acknowledged writes. Recovery on the next open then cuts the torn tail at the last
 *    whole valid batch, so what remains is always a clean prefix of what was acknowledged.
 *  - Rolling to a new segment always fsyncs the old one, so only the last segment can ever be torn.
 *  - Index files are never fsynced: every open recomputes them from the log and rewrites any that differ.
 *
 * All calls are synchronous (it runs on the broker's worker thread). Offsets, timestamps and sizes are JS
 * numbers; values beyond 2^53 are refused.
 */
import { rmSync } from 'node:fs';
import type { BatchHeader } from '../records/record-batch';
import { Attribute, setBaseOffset, splitBatches, validateBatch } from '../records/record-batch';
import type { LogConfig } from './config';
import { resolveLogConfig } from './config';
import { ProducerState } from './producer-state';
import type { RecoveryReport } from './recovery';
import { recoverPartition } from './recovery';
import { planRetention } from './retention';
import { readStartOffset, writeStartOffset } from './start-offset-file';
import type { SegmentBatch } from './segment';
import { Segment } from './segment';
import { fsyncDirectory } from '../../fsync-dir';

export type { LogConfig } from './config';
export { DEFAULT_LOG_CONFIG } from './config';
export type { RecoveryReport } from './recovery';

export type AppendError =
  | 'CORRUPT_MESSAGE'
  | 'UNSUPPORTED_FOR_MESSAGE_FORMAT'
  | 'OUT_OF_ORDER_SEQUENCE_NUMBER'
  | 'INVALID_PRODUCER_EPOCH'
  | 'MESSAGE_TOO_LARGE'
  | 'INVALID_RECORD';

export type AppendResult =
  | { ok: true; baseOffset: number; logAppendTimeMs: -1; duplicate?: boolean }
  | { ok: false; error: AppendError; message: string };

/** Thrown by read() for an offset outside [logStartOffset, logEndOffset]. */
export class OffsetOutOfRangeError extends Error {
  override name = 'OffsetOutOfRangeError';
  readonly code = 'OFFSET_OUT_OF_RANGE';

  constructor(
    readonly offset: number,
    readonly logStartOffset: number,
    readonly logEndOffset: number,
  ) {
    super(`offset ${offset} is outside the log [${logStartOffset}, ${logEndOffset}]`);
  }
}

const INT32_MAX = 2 ** 31 - 1;

interface CheckedBatch {
  data: Buffer;
  header: BatchHeader;
}

/** What DeleteRecords did: the new log start offset, or why it refused. */
export type DeleteRecordsResult =
  | { ok: true; logStartOffset: number; deletedSegments: number }
  | { ok: false; error: 'OFFSET_OUT_OF_RANGE'; message: string };

/** The settings a topic config change may alter while the log is open. */
export type LiveLogSettings = Pick<
  LogConfig,
  'segmentBytes' | 'segmentMs' | 'retentionBytes' | 'retentionMs'
>;

export class PartitionLog {
  private dirty = false;
  /** When the active segment took its first batch in this process (segment.ms rolls from it); null when empty. */
  private activeSince: number | null = null;
  private dirDirty = false;
  private flushTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(
    readonly dir: string,
    private settings: LogConfig,
    readonly recovery: RecoveryReport,
    private segments: Segment[],
    private readonly producers: ProducerState,
    /** Set by DeleteRecords; the first segment's base offset can only be at or below it. */
    private startOffset: number,
  ) {}

  /** Opens (creating the directory if needed) and recovers the log in `dir`. */
  static open(dir: string, config?: Partial<LogConfig>): PartitionLog {
    const resolved = resolveLogConfig(config);
    const producers = new ProducerState();
    const { segments, report } = recoverPartition(dir, resolved, producers);
    return new PartitionLog(dir, resolved, report, segments, producers, readStartOffset(dir));
  }

  get config(): Readonly<LogConfig> {
    return this.settings;
  }

  /** Applies a topic config change: retention at the next check, segment sizes and ages at the next roll. */
  reconfigure(live: Partial<LiveLogSettings>): void {
    this.settings = resolveLogConfig({ ...this.settings, ...live });
  }

  /**
   * The first offset a consumer can read: moved by DeleteRecords (persisted) and by retention deleting
   * whole segments. Never past the end (recovery may have cut a torn tail below a stored start).
   */
  get logStartOffset(): number {
    const first = this.segments[0]?.baseOffset ?? 0;
    return Math.min(Math.max(first, this.startOffset), this.logEndOffset);
  }

  /** The next offset to assign; on a single node also the high watermark. */
  get logEndOffset(): number {
    return this.active.nextOffset;
  }

  get sizeBytes(): number {
    return this.segments.reduce((n, s) => n + s.size, 0);
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  /** The idempotent-producer state of one producer, for diagnostics. */
  producerEntry(producerId: number): ReturnType<ProducerState['entry']> {
    return this.producers.entry(producerId);
  }

  /**
   * Appends a Produce request's records field (one or more v2 batches): all of them or none. Each batch is
   * validated (framing, magic 2, CRC-32C), checked against the idempotent-producer state, given its offsets
   * and written as is. A refused batch refuses the whole call. A failing disk write (e.g. disk full) throws
   * after cutting the partial write back off the active segment. `_nowMs` is accepted for callers' sake;
   * segments roll by size only (time-based rolling is left to applyRetention, which rolls an expired
   * active segment).
   */
  append(records: Buffer, _nowMs: number = Date.now()): AppendResult {
    this.ensureOpen();
    const checked = this.checkBatches(records);
    if (!checked.ok) return checked;
    const sequence = this.producers.check(checked.batches.map((b) => b.header));
    if (sequence.kind === 'duplicate') {
      return { ok: true, baseOffset: sequence.baseOffset, logAppendTimeMs: -1, duplicate: true };
    }
    if (sequence.kind === 'error') return { ok: false, error: sequence.error, message: sequence.message };

    let next = this.logEndOffset;
    const placed: SegmentBatch[] = [];
    for (const { data, header } of checked.batches) {
      const lastOffset = next + header.lastOffsetDelta;
      if (!Number.isSafeInteger(lastOffset)) {
        return { ok: false, error: 'INVALID_RECORD', message: 'the log has run out of offsets below 2^53' };
      }
      // The offsets are assigned in the request's own bytes, as Kafka's log does: the log writes them at once and
      // keeps no reference, and a copy per batch was a third of the broker's buffer churn.
      setBaseOffset(data, next);
      placed.push({ data, baseOffset: next, lastOffset, maxTimestamp: header.maxTimestamp });
      next = lastOffset + 1;
    }
    this.write(placed);
    checked.batches.forEach((b, i) => this.producers.record(b.header, placed[i]?.baseOffset ?? -1));
    this.afterWrite();
    return { ok: true, baseOffset: placed[0]?.baseOffset ?? next, logAppendTimeMs: -1 };
  }

  /**
   * Whole batches starting with the one that contains `offset`, up to maxBytes but always at least one
   * batch when there is one. Empty at logEndOffset. Throws OffsetOutOfRangeError outside the log.
   */
  read(offset: number, maxBytes: number): Buffer {
    this.ensureOpen();
    if (offset < this.logStartOffset || offset > this.logEndOffset || !Number.isSafeInteger(offset)) {
      throw new OffsetOutOfRangeError(offset, this.logStartOffset, this.logEndOffset);
    }
    for (let i = this.segmentIndexFor(offset); i < this.segments.length; i++) {
      const segment = this.segments[i];
      if (!segment) break;
      // In a later segment (offset fell in a gap) the first batch is the one to serve.
      const position = segment.baseOffset <= offset ? segment.positionOf(offset) : segment.isEmpty ? null : 0;
      if (position !== null) return segment.readFrom(position, maxBytes);
    }
    return Buffer.alloc(0);
  }

  /**
   * ListOffsets by time: the earliest offset whose batch has maxTimestamp >= ts. In an uncompressed batch
   * it is the first record stamped at or after ts (as Kafka answers); the broker never decompresses, so in
   * a compressed batch it is the batch's base offset and maxTimestamp, a few records early at worst.
   * Null when no batch is that recent.
   */
  offsetForTimestamp(ts: number): { offset: number; timestamp: number } | null {
    this.ensureOpen();
    const start = this.logStartOffset;
    for (const segment of this.segments) {
      if (segment.nextOffset <= start) continue;
      const found = segment.findByTimestamp(ts);
      // A batch straddling the start: its records below the start are deleted, so the answer is the start.
      if (found) return found.offset < start ? { offset: start, timestamp: found.timestamp } : found;
    }
    return null;
  }

  /**
   * DeleteRecords: every record below `offset` (-1 = the high watermark) becomes unreadable at once, the
   * new start is persisted before anything is removed, and segments wholly below it are deleted (the
   * active one is rolled first when everything goes, so the disk space comes back too). A start at or
   * below the current one changes nothing, as in Kafka.
   */
  deleteRecordsBefore(offset: number): DeleteRecordsResult {
    this.ensureOpen();
    const end = this.logEndOffset;
    const target = offset === -1 ? end : offset;
    if (!Number.isSafeInteger(target) || target < 0 || target > end) {
      return {
        ok: false,
        error: 'OFFSET_OUT_OF_RANGE',
        message: `cannot delete records before offset ${offset}: the log holds offsets ${this.logStartOffset} to ${end}`,
      };
    }
    if (target <= this.logStartOffset)
      return { ok: true, logStartOffset: this.logStartOffset, deletedSegments: 0 };
    this.flush();
    writeStartOffset(this.dir, target);
    this.startOffset = target;
    if (target === end && !this.active.isEmpty) {
      this.roll(end);
    }
    let deletable = 0;
    while (
      deletable < this.segments.length - 1 &&
      (this.segments[deletable] as Segment).nextOffset <= target
    ) {
      deletable++;
    }
    const doomed = this.segments.slice(0, deletable);
    this.segments = this.segments.slice(deletable);
    for (const segment of doomed) segment.delete();
    if (doomed.length > 0) this.dirDirty = true;
    this.flush();
    return { ok: true, logStartOffset: this.logStartOffset, deletedSegments: doomed.length };
  }

  /** Deletes whole old segments past retentionBytes / retentionMs; logStartOffset moves up accordingly. */
  applyRetention(nowMs: number = Date.now()): { deletedSegments: number; deletedBytes: number } {
    this.ensureOpen();
    const plan = planRetention(this.segments, this.config, nowMs);
    if (plan.deleteCount === 0) return { deletedSegments: 0, deletedBytes: 0 };
    if (plan.rollActiveFirst) this.roll(this.logEndOffset);
    const doomed = this.segments.slice(0, plan.deleteCount);
    this.segments = this.segments.slice(plan.deleteCount);
    let deletedBytes = 0;
    for (const segment of doomed) {
      deletedBytes += segment.size;
      segment.delete();
    }
    this.dirDirty = true;
    return { deletedSegments: doomed.length, deletedBytes };
  }

  /** Closes the log and removes its directory (DeleteTopics). */
  deleteAll(): void {
    this.stopTimer();
    for (const segment of this.segments) segment.delete();
    this.segments = [];
    this.closed = true;
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** fsyncs what was appended since the last flush (cheap when nothing was). */
  flush(): void {
    this.stopTimer();
    if (this.closed) return;
    if (this.dirty) this.active.flush();
    if (this.dirDirty) fsyncDirectory(this.dir);
    this.dirty = false;
    this.dirDirty = false;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    for (const segment of this.segments) segment.close();
    this.closed = true;
  }

  private get active(): Segment {
    const active = this.segments[this.segments.length - 1];
    if (!active) throw new Error(`partition log ${this.dir} is closed`);
    return active;
  }

  private checkBatches(
    records: Buffer,
  ): { ok: true; batches: CheckedBatch[] } | Extract<AppendResult, { ok: false }> {
    const split = splitBatches(records);
    if (!split.ok) return { ok: false, error: split.error, message: split.reason };
    if (split.batches.length === 0)
      return { ok: false, error: 'INVALID_RECORD', message: 'no record batches' };
    const batches: CheckedBatch[] = [];
    for (const data of split.batches) {
      if (data.length > this.config.maxMessageBytes || data.length > this.config.segmentBytes) {
        const limit = Math.min(this.config.maxMessageBytes, this.config.segmentBytes);
        return {
          ok: false,
          error: 'MESSAGE_TOO_LARGE',
          message: `batch of ${data.length} bytes exceeds ${limit}`,
        };
      }
      const v = validateBatch(data);
      if (!v.ok) return { ok: false, error: v.error, message: v.reason };
      const problem = clientBatchProblem(v.header);
      if (problem) return { ok: false, error: 'INVALID_RECORD', message: problem };
      batches.push({ data, header: v.header });
    }
    return { ok: true, batches };
  }

  private write(batches: readonly SegmentBatch[]): void {
    let group: SegmentBatch[] = [];
    let groupBytes = 0;
    const now = Date.now();
    // segment.ms: a segment older than this rolls before it takes more (measured from its first batch).
    let aged = this.activeSince !== null && now - this.activeSince >= this.config.segmentMs;
    for (const batch of batches) {
      const active = this.active;
      const used = active.size + groupBytes;
      const full = used + batch.data.length > this.config.segmentBytes || aged;
      // Index entries hold offsets relative to the segment base as int32.
      const offsetsExhausted = batch.lastOffset - active.baseOffset > INT32_MAX;
      if (used > 0 && (full || offsetsExhausted)) {
        if (group.length > 0) active.append(group);
        group = [];
        groupBytes = 0;
        this.roll(batch.baseOffset);
        aged = false;
      }
      group.push(batch);
      groupBytes += batch.data.length;
    }
    if (group.length > 0) this.active.append(group);
    if (this.activeSince === null) this.activeSince = now;
  }

  private roll(baseOffset: number): void {
    this.active.seal();
    this.segments.push(Segment.create(this.dir, baseOffset, this.config.indexIntervalBytes));
    this.activeSince = null;
    this.dirDirty = true;
  }

  private afterWrite(): void {
    this.dirty = true;
    if (this.config.flush === 'batch') {
      this.flush();
      return;
    }
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => this.flush(), this.config.flushIntervalMs);
      this.flushTimer.unref();
    }
  }

  private stopTimer(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
  }

  /** The last segment whose base offset is <= offset (binary search). */
  private segmentIndexFor(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.segments[mid]?.baseOffset ?? 0) <= offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error(`partition log ${this.dir} is closed`);
  }
}

/** What Kafka refuses from a producer even in a well-formed batch (LogValidator). */
function clientBatchProblem(h: BatchHeader): string | null {
  if (h.attributes & Attribute.control) return 'control batches cannot be produced by clients';
  if (h.attributes & Attribute.transactional) return 'transactional batches are not supported by this broker';
  if (h.recordsCount === 0) return 'batch holds no records';
  if (h.recordsCount !== h.lastOffsetDelta + 1) {
    return `record count ${h.recordsCount} disagrees with lastOffsetDelta ${h.lastOffsetDelta}`;
  }
  if (h.producerId >= 0 && (h.producerEpoch < 0 || h.baseSequence < 0)) {
    return `idempotent batch of producer ${h.producerId} lacks an epoch or sequence`;
  }
  return null;
}
