import type { DuckDBConnection } from '@duckdb/node-api';
import { withLakeDb } from './duckdb';
import { refreshGold } from './gold/refresh';
import {
  compactSilver,
  DEFAULT_SILVER_COMPACTION,
  finishSilverCompactions,
  type SilverCompactionOptions,
} from './silver/compact';
import { silverRowCount } from './silver/count';
import { addToSilver, type SilverStep } from './silver/incremental';
import { readSilverProgress, slicesToDo, writeSilverProgress, type BronzeSlice } from './silver/state';

/** What the refiner tells its owner (the lake stream: status and freshness). */
export interface RefinerEvents {
  /** A run is starting: Bronze committed so far will be in Silver when it ends. */
  onRunStart?: () => void;
  onSilver?: (step: SilverStep, silverRows: number) => void;
  onGold?: (tables: Record<string, number>, at: number) => void;
  onError: (error: unknown) => void;
  /** Bronze upkeep (compaction) done between runs in the refiner's DuckDB, when due. */
  maintenance?: { due: () => boolean; run: (db: DuckDBConnection) => Promise<void> };
}

/**
 * The lake's refiner: owns Silver and Gold. Woken whenever Bronze commits, it takes Bronze past Silver's
 * watermark into Silver (silver/incremental.ts) and refreshes Gold for the days that changed
 * (gold/refresh.ts): one run at a time, rerun when more arrived meanwhile. While Bronze keeps arriving Gold
 * is refreshed at most every goldEveryMs (at least that often, given a run is shorter), and always once
 * Silver caught up.
 */
export class LakeRefiner {
  private running: Promise<void> | null = null;
  private again = false;
  private goldDue = false;
  private goldDueSince = 0;
  private lastGold = 0;
  private readonly goldDates = new Set<string>();
  private started = false;
  private lastSilverCompaction = Date.now();

  constructor(
    readonly lake: string,
    readonly topic: string,
    /** Bronze's committed files now (the manifest's ranges). */
    private readonly bronze: () => BronzeSlice[],
    private readonly events: RefinerEvents,
    private readonly goldEveryMs = 2000,
    /** Silver's small files merged at most this often (silver/compact.ts), between steps. */
    private readonly silverCompaction: SilverCompactionOptions & { everyMs: number } = {
      ...DEFAULT_SILVER_COMPACTION,
      everyMs: 30_000,
    },
  ) {}

  /** Runs Silver (then Gold) over Bronze it has not taken in yet; one run at a time. */
  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run()
      .catch((error: unknown) => this.events.onError(error))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Resolves once the current run (and any it queued) is over. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  get busy(): boolean {
    return this.running !== null || this.goldDue;
  }

  /** Bronze rows not in Silver yet. */
  backlogRows(): number {
    const progress = readSilverProgress(this.lake, this.topic);
    return slicesToDo(progress, this.bronze()).reduce((n, s) => n + (s.last - s.first + 1), 0);
  }

  /** Whether Silver holds every committed Bronze file. */
  silverCaughtUp(): boolean {
    const progress = readSilverProgress(this.lake, this.topic);
    return progress.pending === null && slicesToDo(progress, this.bronze()).length === 0;
  }

  goldWaitingSeconds(): number {
    return this.goldDueSince ? (Date.now() - this.goldDueSince) / 1000 : 0;
  }

  private async run(): Promise<void> {
    const progress = readSilverProgress(this.lake, this.topic);
    if (!this.started) {
      // Days Silver changed before a restart or crash that Gold never caught up with.
      this.started = true;
      finishSilverCompactions(this.lake, this.silverCompaction.graceMs);
      for (const d of progress.goldDates ?? []) this.goldDates.add(d);
      if (this.goldDates.size) {
        this.goldDue = true;
        this.goldDueSince = Date.now();
      }
    }
    // A step a crash cut short is redone with its own slices first.
    const slices = progress.pending?.slices ?? slicesToDo(progress, this.bronze());
    const upkeep = this.events.maintenance?.due() ? this.events.maintenance : undefined;
    const compact = Date.now() - this.lastSilverCompaction >= this.silverCompaction.everyMs;
    if (slices.length === 0 && !this.goldDue && !upkeep && !compact) return;
    this.events.onRunStart?.();
    await withLakeDb(async (db) => {
      if (upkeep) await upkeep.run(db);
      if (slices.length) {
        const step = await addToSilver(db, this.lake, this.topic, slices);
        this.events.onSilver?.(step, await silverRowCount(db, this.lake));
        for (const d of step.dates) this.goldDates.add(d);
        if (step.dates.length || step.quarantined) {
          if (!this.goldDue) this.goldDueSince = Date.now();
          this.goldDue = true;
        }
        // More Bronze past the slices taken (or a redone step): go again.
        if (progress.pending || slicesToDo(readSilverProgress(this.lake, this.topic), this.bronze()).length)
          this.again = true;
      }
      if (compact) {
        // Merges only files Gold has taken in, so it never delays Gold's figures (and is skipped while a step
        // is pending).
        this.lastSilverCompaction = Date.now();
        await compactSilver(db, this.lake, this.topic, this.silverCompaction);
      }
      const waiting = this.again && Date.now() - this.lastGold < this.goldEveryMs;
      if (!this.goldDue || waiting) return;
      const dates = [...this.goldDates];
      this.goldDates.clear();
      this.goldDue = false;
      this.goldDueSince = 0;
      const tables = await refreshGold(db, this.lake, dates);
      const done = new Set(dates);
      const now = readSilverProgress(this.lake, this.topic);
      writeSilverProgress(this.lake, this.topic, {
        ...now,
        goldDates: (now.goldDates ?? []).filter((d) => !done.has(d)),
      });
      this.lastGold = Date.now();
      this.events.onGold?.(tables, this.lastGold);
    });
    // Gold skipped for now: make sure a later run does it even if no new Bronze comes.
    if (this.goldDue) this.again = true;
  }
}
