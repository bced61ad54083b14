import { randomUUID } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { ApiError, missingRequired, type ReplayOptions, type ReplayProgress } from '../../contract';
import { withLakeDb } from '../../lake/duckdb';
import { checkGzip, gzipProblemMessage } from '../sources/gzip-check';
import { inspectSource } from '../sources/inspect';
import { checkFile } from '../sources/read-source';
import { AckTracker } from './ack-tracker';
import { CheckpointStore, type Checkpoint } from './checkpoint';
import type { KafkaTarget } from '../../kafka';
import { estimateRows } from './estimate-rows';
import { resumeKey } from './resume-key';
import { normalizeSql } from './normalize-sql';
import { Pacer, type Clock, type Pace } from './pacer';
import { DEFAULT_RETENTION_BYTES } from '../../kafka';
import { Lineage } from '../../kafka/record-batch-builder';
import { type ProducerLike, type ProducerSettings } from './replay-producer';
import { streamRows, type RowChunk } from './row-stream';
import { rejectsSql, sourceSpec } from './source-spec';

/** What the run needs from the outside; tests give a controllable clock. */
export interface RunDeps {
  clock: Clock;
  checkpoints: CheckpointStore;
  openProducer(
    target: KafkaTarget,
    topic: string,
    partitions: number,
    settings?: ProducerSettings,
  ): Promise<ProducerLike>;
  onProgress(progress: ReplayProgress): void;
  /**
   * Bronze's position on a topic (partition → next offset it has not taken in), or null when no lake
   * consumer runs on it. Without it, or when it answers null, the replay runs unthrottled.
   */
  bronzePosition?(topic: string): Map<number, number> | null;
  /** The run's id, when its host chose it (the run on a worker thread keeps its host's). */
  runId?: string;
}

export type { ProducerLike };

const IN_FLIGHT = 3;
/** Backpressure: how many seconds of data the replay may be ahead of Bronze by default … */
const DEFAULT_AHEAD_SECONDS = 3;
/** … and the fewest rows, whatever the rate (Bronze takes rows in by fetched batches). */
const MIN_AHEAD_ROWS = 20_000;
const HOLD_POLL_MS = 50;
/** Bytes a record takes on the topic beside its value (key, lineage headers, varints), near enough. */
const RECORD_OVERHEAD = 70;
const CHECKPOINT_EVERY_MS = 1000;
const PROGRESS_EVERY_MS = 250;
/** A paced run never sleeps longer than this at once, so pause and stop are prompt. */
const MAX_SLEEP_MS = 100;

/**
 * One replay of one file onto one topic: reads it with DuckDB (streamed, normalized to the canonical event),
 * paces it, sends it with an idempotent producer, routes rows that are not events to the DLQ with their
 * reason, checkpoints the acknowledged position, and reports progress.
 */
export class ReplayRun {
  readonly id: string;
  private state: ReplayProgress['state'] = 'starting';
  private readonly startedAt = new Date();
  private readonly started: number;
  private endedAt: number | null = null;
  private resumedFrom = 0;
  private rowsRead = 0;
  private rowsSent = 0;
  private rowsRejected = 0;
  private totalBytes = 0;
  private bytesRead = 0;
  /** Rows the whole replay is expected to take (resumed ones included), for progress and ETA. */
  private estimatedRows = 0;

  private eventsPerSecond = 0;
  private readonly reasons = new Map<string, number>();
  private readonly warnings: string[] = [];
  private error: string | null = null;
  private outOfOrder = 0;
  /** Waiting for Bronze to catch up (backpressure), and the highest send rate seen (sizes the bound). */
  private heldBack = false;
  private peakRate = 0;
  private heldBackMs = 0;
  private lastEventMs: number | null = null;
  private resumeWaiters: (() => void)[] = [];
  private stopRequested = false;
  private pacer: Pacer | null = null;
  readonly finished: Promise<ReplayProgress>;

  constructor(
    readonly options: ReplayOptions,
    readonly target: KafkaTarget,
    private readonly deps: RunDeps,
  ) {
    this.id = deps.runId ?? randomUUID();
    this.started = deps.clock.now();
    this.finished = this.run().then(
      () => this.finish(this.stopRequested ? 'stopped' : 'completed'),
      (error: unknown) => {
        this.error = error instanceof Error ? error.message : String(error);
        return this.finish('failed');
      },
    );
  }

  progress(): ReplayProgress {
    // A run that has ended keeps the time it took: its Elapsed no longer grows.
    const elapsed = ((this.endedAt ?? this.deps.clock.now()) - this.started) / 1000;
    // Rows still to go at the current rate: at max speed that is throughput, when paced it is the pace.
    const done = this.resumedFrom + this.rowsRead;
    const eta =
      this.state === 'running' && this.eventsPerSecond > 0 && this.estimatedRows > 0
        ? Math.max(0, this.estimatedRows - done) / this.eventsPerSecond
        : null;
    return {
      runId: this.id,
      state: this.state,
      path: this.options.path,
      topic: this.options.topic,
      bootstrap: this.target.bootstrap,
      rowsRead: this.rowsRead,
      rowsSent: this.rowsSent,
      rowsRejected: this.rowsRejected,
      resumedFrom: this.resumedFrom,
      bytesRead: this.bytesRead,
      totalBytes: this.totalBytes,
      eventsPerSecond: this.eventsPerSecond,
      etaSeconds: eta,
      // ISO text made only when progress is reported, not for every row.
      currentEventTime: this.lastEventMs === null ? null : new Date(this.lastEventMs).toISOString(),
      startedAt: this.startedAt.toISOString(),
      elapsedSeconds: elapsed,
      rejectReasons: [...this.reasons]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 20)
        .map(([reason, count]) => ({ reason, count })),
      warnings: [...this.warnings, ...this.orderWarning()],
      heldBackByBronze: this.heldBack,
      heldBackSeconds: this.heldBackMs / 1000,
      error: this.error,
    };
  }

  private orderWarning(): string[] {
    if (this.options.order !== 'file' || this.outOfOrder === 0) return [];
    return [
      `${this.outOfOrder.toLocaleString('en-US')} rows are earlier than the row before them: replaying in file order (choose event-time order to sort first).`,
    ];
  }

  pause(): void {
    if (this.state !== 'running') return;
    this.state = 'paused';
    this.pacer?.pause();
    this.deps.onProgress(this.progress());
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.state = 'running';
    this.pacer?.resume();
    for (const wake of this.resumeWaiters.splice(0)) wake();
    this.deps.onProgress(this.progress());
  }

  stop(): Promise<ReplayProgress> {
    if (this.state === 'running' || this.state === 'paused' || this.state === 'starting') {
      this.stopRequested = true;
      this.state = 'stopping';
      for (const wake of this.resumeWaiters.splice(0)) wake();
      this.deps.onProgress(this.progress());
    }
    return this.finished;
  }

  private finish(state: ReplayProgress['state']): ReplayProgress {
    this.state = state;
    this.endedAt = this.deps.clock.now();
    const p = this.progress();
    this.deps.onProgress(p);
    return p;
  }

  private async run(): Promise<void> {
    const o = this.options;
    const { size, format } = await checkFile(o.path);
    this.totalBytes = size;
    // Without a mapping, the one replay.inspect proposes (read once: it scans the file's head).
    const proposed = o.mapping ? null : await inspectSource(o.path);
    const mapping = o.mapping ?? proposed?.mapping ?? {};
    const constantEventType =
      o.constantEventType !== undefined ? o.constantEventType : (proposed?.constantEventType ?? null);
    const missing = missingRequired(mapping, constantEventType);
    if (missing.length) {
      throw new ApiError({
        code: 'VALIDATION',
        message: `Map a column to ${missing.join(', ')} before replaying: required.`,
      });
    }
    const stat = statSync(o.path);
    const sourceId = `${basename(o.path)}@${CheckpointStore.keyOf([realpathSync(o.path), stat.size, stat.mtimeMs]).slice(0, 12)}`;
    const key = resumeKey(o, mapping, constantEventType);
    const saved = o.resume ? this.deps.checkpoints.load(key) : null;
    if (saved?.completed)
      this.warnings.push(
        'The last replay of this file onto this topic completed: replaying it again from the start.',
      );
    const resumeFrom = saved && !saved.completed ? saved : null;
    this.resumedFrom = resumeFrom?.rowsDone ?? 0;
    const checkpoint: Checkpoint = {
      key,
      path: o.path,
      topic: o.topic,
      rowsDone: this.resumedFrom,
      rejectedLinesDone: resumeFrom?.rejectedLinesDone ?? 0,
      completed: false,
      updatedAt: new Date().toISOString(),
    };
    const limit = o.limit !== undefined ? Math.max(0, o.limit - this.resumedFrom) : undefined;

    const producer = await this.deps.openProducer(this.target, o.topic, o.partitions, {
      ...(o.compression ? { compression: o.compression } : {}),
      ...(o.retentionBytes ? { retentionBytes: o.retentionBytes } : {}),
      ...(o.producer ? { producer: o.producer } : {}),
    });
    this.warnings.push(...producer.warnings);
    const pace: Pace =
      o.rate !== undefined
        ? { kind: 'rate', perSecond: o.rate }
        : o.speed === 'max'
          ? { kind: 'max' }
          : { kind: 'speed', factor: o.speed };
    const pacer = new Pacer(pace, this.deps.clock);
    this.pacer = pacer;
    this.state = 'running';
    this.deps.onProgress(this.progress());

    const acks = new AckTracker(this.resumedFrom);
    const inFlight = new Set<Promise<void>>();
    let failure: unknown = null;
    let lastCheckpoint = this.deps.clock.now();
    let lastProgress = lastCheckpoint;
    let sentAtLastTick = 0;
    let rowNumber = this.resumedFrom;
    let sentThisRun = 0;
    const lineage = new Lineage(sourceId);
    /** Rows appended since the last flush, and how many of them are events (not DLQ). */
    let batchRows = 0;
    let batchEvents = 0;
    /** Bytes and count of the events appended, for the average size of a record on the topic. */
    let eventBytes = 0;
    let eventsAppended = 0;

    const saveCheckpoint = () => {
      checkpoint.rowsDone = acks.done;
      if (this.estimatedRows > 0) checkpoint.estimatedRows = this.estimatedRows;
      checkpoint.updatedAt = new Date().toISOString();
      this.deps.checkpoints.save(checkpoint);
    };
    const tick = (force = false) => {
      const now = this.deps.clock.now();
      if (!force && now - lastProgress < PROGRESS_EVERY_MS) return;
      if (this.estimatedRows > 0) {
        const share = Math.min(0.999, (this.resumedFrom + this.rowsRead) / this.estimatedRows);
        this.bytesRead = Math.max(this.bytesRead, Math.round(share * this.totalBytes));
      }
      const seconds = (now - lastProgress) / 1000;
      if (seconds > 0) {
        const instant = (this.rowsSent - sentAtLastTick) / seconds;
        this.eventsPerSecond =
          this.eventsPerSecond === 0 ? instant : 0.7 * this.eventsPerSecond + 0.3 * instant;
      }
      if (!this.heldBack) this.peakRate = Math.max(this.peakRate, this.eventsPerSecond);
      sentAtLastTick = this.rowsSent;
      lastProgress = now;
      if (now - lastCheckpoint >= CHECKPOINT_EVERY_MS) {
        saveCheckpoint();
        lastCheckpoint = now;
      }
      this.deps.onProgress(this.progress());
    };
    const flush = async () => {
      if (batchRows === 0) return;
      const events = batchEvents;
      batchRows = 0;
      batchEvents = 0;
      const ack = acks.track(rowNumber);
      const promise = producer.flush().then(
        () => {
          this.rowsSent += events;
          ack();
        },
        (error: unknown) => {
          failure ??= error;
        },
      );
      const tracked = promise.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    };
    const add = (rows: RowChunk, i: number) => {
      rowNumber++;
      const reason = rows.reason(i);
      const eventMs = rows.eventMs(i);
      if (reason !== null) {
        this.rowsRejected++;
        this.reasons.set(reasonKind(reason), (this.reasons.get(reasonKind(reason)) ?? 0) + 1);
        const line = rows.line(i);
        const value = JSON.stringify({
          reason,
          source: sourceId,
          row: rowNumber,
          ...(line === null ? {} : { line }),
          raw: rows.raw(i),
        });
        producer.appendDlq(value, [
          ['clickpulse.source', sourceId],
          ['clickpulse.row', String(rowNumber)],
          ...(line === null ? [] : [['clickpulse.line', String(line)] as [string, string]]),
          ['clickpulse.reason', reason],
        ]);
      } else {
        if (eventMs !== null && this.lastEventMs !== null && eventMs < this.lastEventMs) this.outOfOrder++;
        if (eventMs !== null) this.lastEventMs = eventMs;
        producer.append(rows.keys, rows.values, i, lineage, rowNumber);
        batchEvents++;
        eventsAppended++;
        eventBytes += rows.values.lengthOf(i) + RECORD_OVERHEAD;
      }
      batchRows++;
    };

    /** Waits while the replay is more than the bound ahead of Bronze (when a lake consumer runs on the topic). */
    const holdBack = async () => {
      const seconds = o.aheadOfBronzeSeconds === undefined ? DEFAULT_AHEAD_SECONDS : o.aheadOfBronzeSeconds;
      const position = this.deps.bronzePosition;
      if (seconds === null || !position) return;
      const since = this.deps.clock.now();
      for (;;) {
        const bronze = position(o.topic);
        if (!bronze || this.stopRequested || failure) break;
        let ahead = 0;
        for (const [p, end] of await producer.acknowledged())
          ahead += Math.max(0, end - (bronze.get(p) ?? 0));
        // Never more than half the topic's retention ahead, or the broker could delete rows Bronze has not read.
        const avgBytes = eventBytes / Math.max(1, eventsAppended);
        const safe = (o.retentionBytes ?? DEFAULT_RETENTION_BYTES) / 2 / avgBytes;
        if (ahead <= Math.min(safe, Math.max(MIN_AHEAD_ROWS, seconds * this.peakRate))) break;
        if (!this.heldBack) {
          this.heldBack = true;
          this.deps.onProgress(this.progress());
        }
        await this.deps.clock.sleep(HOLD_POLL_MS);
        tick();
      }
      if (this.heldBack) {
        this.heldBack = false;
        this.heldBackMs += this.deps.clock.now() - since;
        this.deps.onProgress(this.progress());
      }
    };

    // DuckDB stops silently at a truncated gzip: zlib checks the whole stream beside the scan.
    const gzipAbort = new AbortController();
    const gzip = o.path.toLowerCase().endsWith('.gz') ? checkGzip(o.path, gzipAbort.signal) : null;
    const gzipFailure = async (): Promise<ApiError | null> => {
      await Promise.all(inFlight); // what was read before the break is acknowledged first
      const problem = gzip && !this.stopRequested ? await gzip : null;
      if (!problem) return null;
      return new ApiError({ code: 'FAILED', message: gzipProblemMessage(o.path, problem, this.rowsSent) });
    };
    try {
      await withLakeDb(
        async (db) => {
          const estimated = await estimateRows(db, o.path, format, this.totalBytes);
          this.estimatedRows = Math.max(
            0,
            limit !== undefined ? Math.min(estimated, o.limit ?? estimated) : estimated,
          );
          const sql = normalizeSql({
            source: sourceSpec(o.path, format),
            mapping,
            constantEventType,
            key: o.key,
            order: o.order,
            ...(o.from ? { from: o.from } : {}),
            ...(o.to ? { to: o.to } : {}),
            skip: this.resumedFrom,
            ...(limit !== undefined ? { limit } : {}),
          });
          outer: for await (const rows of streamRows(db, sql)) {
            for (let i = 0; i < rows.count; i++) {
              if (this.stopRequested || failure) break outer;
              if (this.state === 'paused') {
                await flush();
                await new Promise<void>((wake) => this.resumeWaiters.push(wake));
                if (this.stopRequested) break outer;
              }
              if (pace.kind !== 'max') {
                const due = pacer.dueAt(rows.eventMs(i), sentThisRun);
                for (
                  let wait = pacer.waitFor(due);
                  wait > 0 && !this.stopRequested;
                  wait = pacer.waitFor(due)
                ) {
                  await flush();
                  tick();
                  await this.deps.clock.sleep(Math.min(wait, MAX_SLEEP_MS));
                  if (this.state === 'paused') break;
                }
                if (this.state === 'paused' || this.stopRequested) continue;
              }
              add(rows, i);
              this.rowsRead++;
              sentThisRun++;
              if (producer.due) {
                await flush();
                await holdBack();
              }
            }
            tick();
          }
          await flush();
          await Promise.all(inFlight);
          if (failure) throw failure;
          if (format !== 'parquet' && !this.stopRequested)
            await this.sendRejectedLines(db, producer, sourceId, checkpoint);
          const broken = await gzipFailure();
          if (broken) throw broken;
          if (!this.stopRequested) this.bytesRead = this.totalBytes;
        },
        // One DuckDB thread: the replay shares two cores with the broker and the lake consumer. Replay →
        // Bronze, 1M rows, three A/B pairs: the same wall time, 0.15–0.3 s less CPU, 564–574 MB peak RSS
        // against 577–616.
        { threads: 1 },
      ).catch(async (error: unknown) => {
        // Garbage past a corrupt block can fail the scan first: the gzip problem is the real cause.
        throw (await gzipFailure()) ?? error;
      });
      checkpoint.completed = !this.stopRequested;
    } finally {
      gzipAbort.abort();
      await Promise.all(inFlight);
      saveCheckpoint();
      await producer.close();
    }
  }

  /** Lines the CSV reader could not parse (wrong column count, invalid UTF-8): to the DLQ with their reason. */
  private async sendRejectedLines(
    db: Parameters<Parameters<typeof withLakeDb>[0]>[0],
    producer: ProducerLike,
    sourceId: string,
    checkpoint: Checkpoint,
  ): Promise<void> {
    const rejected = (await db.runAndReadAll(rejectsSql(checkpoint.rejectedLinesDone))).getRowsJS();
    for (const [line, raw, reason] of rejected) {
      const why = String(reason);
      this.rowsRejected++;
      this.reasons.set(reasonKind(why), (this.reasons.get(reasonKind(why)) ?? 0) + 1);
      producer.appendDlq(
        JSON.stringify({
          reason: why,
          source: sourceId,
          line: Number(line),
          raw: raw === null ? null : String(raw),
        }),
        [
          ['clickpulse.source', sourceId],
          ['clickpulse.line', String(line)],
          ['clickpulse.reason', why],
        ],
      );
      checkpoint.rejectedLinesDone = Math.max(checkpoint.rejectedLinesDone, Number(line));
      if (producer.due) await producer.flush();
    }
    await producer.flush();
  }
}

/** "price is not a number: abc" → "price is not a number": counts group by kind, not by value. */
function reasonKind(reason: string): string {
  return reason.split(':')[0] ?? reason;
}
