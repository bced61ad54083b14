import type { Kafka } from 'kafkajs';
import type { StreamOptions, StreamStatus } from '../contract';
import { withLakeDb } from '../lake/duckdb';
import { refreshGold } from '../lake/gold/refresh';
import { ensureTopics, eventTopicSpec, kafkaClient, type KafkaTarget } from '../kafka';
import type { BronzeRange } from './bronze-manifest';
import { BronzeWriter, type BronzeWriterOptions } from './bronze-writer';
import { compactBronze, DEFAULT_COMPACTION, type CompactionOptions } from './bronze-compactor';
import { bottleneck } from './bottleneck';
import { emptyStreamStatus } from './empty-status';
import { startLakeConsumer, type LakeConsumer } from './host/lake-consumer';
import { lockLake } from './lake-lock';
import { DelayPercentiles, RateMeter } from './run-stats';
import { silverRowCount } from './silver-count';
import { addToSilver, processedBronze } from './silver-incremental';

const STATUS_EVERY_MS = 1000;
const GOLD_EVERY_MS = 2000;

/**
 * The lake pipeline: a consumer of the topic (see startLakeConsumer) feeds the Bronze writer (exactly once into
 * offset-named files); each Bronze commit wakes Silver (incremental, the shared SQL), whose changed dates
 * refresh Gold. One writer per lake folder (a lock file). Status about once a second.
 */
export class LakeStream {
  private consumer: LakeConsumer | null = null;
  private kafka: Kafka | null = null;
  /** Since when Gold has had changes waiting (0: none). */
  private goldDueSince = 0;
  private writer: BronzeWriter | null = null;
  private unlock: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private refining: Promise<void> | null = null;
  private refineAgain = false;
  private readonly endOffsets = new Map<number, number>();
  private status: StreamStatus;
  private silverRows = 0;
  private quarantined = 0;
  private readonly rates = { bronze: new RateMeter(), silver: new RateMeter() };
  /** Kafka time of the oldest message of each Bronze commit not yet in Gold. */
  private pendingGold: number[] = [];
  private readonly delays = { bronze: new DelayPercentiles(), gold: new DelayPercentiles() };
  /** Days Silver changed that Gold has not been refreshed for yet. */
  private readonly goldDates = new Set<string>();
  private goldDue = false;
  private lastGold = 0;
  private lastCompaction = Date.now();
  /** Told Bronze's position (bronzePosition) after every fetched batch and commit: the replay's backpressure. */
  onBronzeAdvance: ((positions: Map<number, number>) => void) | null = null;

  constructor(
    readonly lake: string,
    readonly options: StreamOptions,
    readonly target: KafkaTarget,
    private readonly onStatus: (status: StreamStatus) => void,
    private readonly bronzeOptions: Partial<BronzeWriterOptions> = {},
    private readonly compaction: CompactionOptions = DEFAULT_COMPACTION,
    /** How often small Bronze files are merged. */
    private readonly compactEveryMs = 30_000,
  ) {
    this.status = emptyStreamStatus('stopped', lake, options, target.bootstrap);
  }

  current(): StreamStatus {
    return this.status;
  }

  /**
   * Partition → the next offset Bronze has not taken in yet (the replay's backpressure reads this);
   * partitions Bronze has not seen are missing (read as 0).
   */
  bronzePosition(): Map<number, number> {
    const writer = this.writer;
    const out = new Map<number, number>();
    if (!writer) return out;
    for (const p of new Set([
      ...this.endOffsets.keys(),
      ...writer.manifest.ranges().map((r) => r.partition),
    ])) {
      const next = writer.next(p);
      if (next !== null) out.set(p, next);
    }
    return out;
  }

  /** Stops fetching (Bronze stalls; the replay is held back) until resume(). */
  pause(): void {
    this.consumer?.pause();
  }

  resume(): void {
    this.consumer?.resume();
  }

  async start(): Promise<StreamStatus> {
    this.set({ state: 'starting', startedAt: new Date().toISOString(), lastError: null });
    try {
      this.unlock = lockLake(this.lake);
      const writer = await BronzeWriter.open(
        this.lake,
        this.options.topic,
        this.bronzeOptions,
        (range, oldest) => this.onBronzeCommit(range, oldest),
      );
      this.writer = writer;
      const kafka = kafkaClient(this.target, 'clickpulse-lake');
      this.kafka = kafka;
      await ensureTopics(kafka, [eventTopicSpec(this.options.topic)]);
      this.consumer = await startLakeConsumer(kafka, this.target, this.options, {
        writer,
        fetched: (partition, expected, first, highWatermark) =>
          this.onFetched(partition, expected, first, highWatermark),
        fail: (error) => this.fail(error),
      });
      this.catchUpSilver();
      this.timer = setInterval(() => void this.tick(), STATUS_EVERY_MS);
      this.timer.unref();
      this.set({ state: 'running' });
      return this.status;
    } catch (error) {
      await this.shutdown();
      this.fail(error);
      throw error;
    }
  }

  /** After a partition's fetched block went into Bronze's buffer: retention gaps, positions, files. */
  private async onFetched(
    partition: number,
    expected: number | null,
    first: number | null,
    highWatermark: number,
  ): Promise<void> {
    const writer = this.writer;
    if (!writer) return;
    if (expected !== null && first !== null && first > expected) {
      void this.checkRetentionGap(partition, expected, first);
    }
    this.endOffsets.set(partition, highWatermark);
    this.onBronzeAdvance?.(this.bronzePosition());
    // Fetching goes on while DuckDB writes a file; only a second full file waiting holds the consumer back.
    const written = writer.flush();
    if (writer.pendingWrites > 1) await written;
    else written.catch((error: unknown) => this.fail(error));
  }

  /**
   * Offsets skipped between what Bronze holds and what Kafka served: lost to retention when the log now
   * starts after them (a transactional marker or a compacted key leaves gaps too, and those lose nothing).
   * Bronze keeps its files as they are and goes on from the earliest offset still there; the loss is told.
   */
  private async checkRetentionGap(partition: number, expected: number, got: number): Promise<void> {
    const kafka = this.kafka;
    if (!kafka) return;
    const admin = kafka.admin();
    try {
      await admin.connect();
      const offsets = await admin.fetchTopicOffsets(this.options.topic);
      const low = Number(offsets.find((o) => o.partition === partition)?.low ?? 0);
      if (low <= expected) return;
      const lost = Math.min(low, got) - expected;
      this.set({
        lostMessages: this.status.lostMessages + lost,
        warnings: [
          ...this.status.warnings.slice(-19),
          `Partition ${partition}: offsets ${expected}–${Math.min(low, got) - 1} (${lost} messages) were deleted by the topic's retention before Bronze read them; Bronze goes on from offset ${got}.`,
        ],
      });
    } catch (error) {
      this.set({
        warnings: [
          ...this.status.warnings.slice(-19),
          `Partition ${partition}: Kafka served offset ${got} where Bronze expected ${expected}, and the log start could not be read (${error instanceof Error ? error.message : String(error)}).`,
        ],
      });
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private onBronzeCommit(range: BronzeRange, oldestKafkaMs: number): void {
    this.onBronzeAdvance?.(this.bronzePosition());
    this.rates.bronze.add(range.rows);
    this.pendingGold.push(oldestKafkaMs);
    const delay = Math.max(0, (Date.now() - oldestKafkaMs) / 1000);
    this.delays.bronze.add(delay);
    this.set({
      bronze: { ...this.status.bronze, lastFlushAt: range.committedAt },
      freshness: {
        ...this.status.freshness,
        bronzeSeconds: delay,
        bronzeP50: this.delays.bronze.at(0.5),
        bronzeP95: this.delays.bronze.at(0.95),
      },
    });
    // Kafka's committed offsets follow Bronze, for lag displays; Bronze itself resumes from its manifest.
    this.consumer?.commit(range.partition, range.last + 1);
    this.catchUpSilver();
  }

  /** Runs Silver (then Gold) over Bronze files it has not seen; one run at a time, rerun if more arrived. */
  private catchUpSilver(): void {
    if (this.refining) {
      this.refineAgain = true;
      return;
    }
    this.refining = this.refine()
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
        this.refining = null;
        if (this.refineAgain) {
          this.refineAgain = false;
          this.catchUpSilver();
        }
      });
  }

  private async refine(): Promise<void> {
    const writer = this.writer;
    if (!writer) return;
    const done = processedBronze(this.lake, this.options.topic);
    const fresh = writer.manifest.ranges().filter((r) => !done.has(r.file));
    const compactDue = Date.now() - this.lastCompaction >= this.compactEveryMs;
    if (fresh.length === 0 && !this.goldDue && !compactDue) return;
    const covered = this.pendingGold.length;
    await withLakeDb(async (db) => {
      if (compactDue) {
        this.lastCompaction = Date.now();
        await compactBronze(db, this.lake, writer.manifest, this.compaction);
      }
      if (fresh.length) {
        const step = await addToSilver(
          db,
          this.lake,
          this.options.topic,
          fresh.map((r) => r.file),
        );
        this.rates.silver.add(step.events);
        // All of Silver, not only this run's: counted from the Parquet footers, which is cheap.
        this.silverRows = await silverRowCount(db, this.lake);
        this.quarantined += step.quarantined;
        this.set({ silver: { ...this.status.silver, lastFlushAt: new Date().toISOString() } });
        for (const d of step.dates) this.goldDates.add(d);
        if (step.dates.length || step.quarantined) {
          if (!this.goldDue) this.goldDueSince = Date.now();
          this.goldDue = true;
        }
      }
      // Gold at most every GOLD_EVERY_MS while more Bronze keeps arriving, and always once caught up:
      // its whole-lake tables are the costly part, and at max speed Silver should not wait for them.
      const waiting = this.refineAgain && Date.now() - this.lastGold < GOLD_EVERY_MS;
      if (!this.goldDue || waiting) return;
      const dates = [...this.goldDates];
      this.goldDates.clear();
      this.goldDue = false;
      this.goldDueSince = 0;
      const tables = await refreshGold(db, this.lake, dates);
      const now = Date.now();
      this.lastGold = now;
      const reached = this.pendingGold.splice(0, covered);
      for (const t of reached) this.delays.gold.add((now - t) / 1000);
      const oldest = reached.length ? Math.min(...reached) : null;
      this.set({
        gold: { lastFlushAt: new Date(now).toISOString(), tables: Object.keys(tables).length },
        freshness: {
          ...this.status.freshness,
          goldSeconds: oldest === null ? this.status.freshness.goldSeconds : (now - oldest) / 1000,
          goldP50: this.delays.gold.at(0.5),
          goldP95: this.delays.gold.at(0.95),
        },
      });
    });
    // Gold skipped for now: make sure a later run does it even if no new Bronze comes.
    if (this.goldDue) this.refineAgain = true;
  }

  /** Resolves once Bronze holds everything up to `ends` (partition → end offset) and Silver and Gold took it in. */
  async caughtUp(ends: Map<number, number>, timeoutMs = 600_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const writer = this.writer;
      if (this.status.state === 'failed')
        throw new Error(this.status.lastError ?? 'The lake consumer failed.');
      if (writer) {
        const bronzeDone = [...ends].every(([p, end]) => end === 0 || (writer.next(p) ?? 0) >= end);
        if (bronzeDone) await writer.flush(true);
        // The Silver state file is read once per poll, not once per Bronze file.
        const processed = bronzeDone ? processedBronze(this.lake, this.options.topic) : null;
        const silverDone =
          processed !== null &&
          writer.buffered === 0 &&
          writer.manifest.ranges().every((r) => processed.has(r.file));
        if (silverDone && !this.refining && !this.goldDue) {
          await this.tick();
          return;
        }
        if (bronzeDone && !this.refining) {
          this.refineAgain = false;
          this.catchUpSilver();
        }
      }
      if (Date.now() > deadline) throw new Error('Timed out waiting for the lake to catch up.');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async tick(): Promise<void> {
    const writer = this.writer;
    if (!writer) return;
    await writer.flush().catch((error: unknown) => this.fail(error));
    if (Date.now() - this.lastCompaction >= this.compactEveryMs) this.catchUpSilver();
    const partitions = [...this.endOffsets.keys()]
      .sort((a, b) => a - b)
      .map((partition) => {
        const bronzeOffset = writer.manifest.next(partition) ?? 0;
        const endOffset = this.endOffsets.get(partition) ?? null;
        return {
          partition,
          bronzeOffset,
          endOffset,
          lag: endOffset === null ? null : Math.max(0, endOffset - bronzeOffset),
        };
      });
    const ranges = writer.manifest.ranges();
    const processed = processedBronze(this.lake, this.options.topic);
    const bronzeRate = this.rates.bronze.rate();
    const kafkaLag = partitions.reduce((n, p) => n + (p.lag ?? 0), 0);
    const stage = bottleneck({
      kafkaLag,
      bronzeRowsPerSecond: bronzeRate,
      silverBacklog: ranges.reduce((n, r) => (processed.has(r.file) ? n : n + r.rows), 0),
      silverRowsPerSecond: this.rates.silver.rate(),
      goldWaitingSeconds: this.goldDueSince ? (Date.now() - this.goldDueSince) / 1000 : 0,
      active: bronzeRate > 0 || kafkaLag > 0 || writer.buffered > 0,
    });
    this.set({
      bottleneck: stage,
      partitions,
      bronze: {
        ...this.status.bronze,
        rows: writer.manifest.rows(),
        files: ranges.length,
        rowsPerSecond: bronzeRate,
      },
      silver: {
        ...this.status.silver,
        rows: this.silverRows,
        quarantined: this.quarantined,
        rowsPerSecond: this.rates.silver.rate(),
      },
    });
  }

  private set(patch: Partial<StreamStatus>): void {
    this.status = { ...this.status, ...patch };
    this.onStatus(this.status);
  }

  private fail(error: unknown): void {
    this.set({ state: 'failed', lastError: error instanceof Error ? error.message : String(error) });
  }

  async stop(): Promise<StreamStatus> {
    if (this.status.state === 'stopped') return this.status;
    this.set({ state: 'stopping' });
    await this.shutdown();
    this.set({ state: 'stopped' });
    return this.status;
  }

  private async shutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.consumer?.stop();
    this.consumer = null;
    this.kafka = null;
    await this.writer?.flush(true).catch((error: unknown) => this.fail(error));
    await this.refining;
    if (this.writer && this.status.state !== 'failed') {
      this.refineAgain = false;
      this.catchUpSilver();
      await this.refining;
    }
    await this.writer?.close();
    this.writer = null;
    this.unlock?.();
    this.unlock = null;
  }
}
