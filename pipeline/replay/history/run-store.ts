import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunSeries, type RunSummary } from '../../contract';

/** How many past runs are kept on disk (the oldest files go first). */
export const KEEP_RUNS = 50;

/**
 * Each run's summary and series as `<configDir>/run-history/<started>-<runId>.json`, written atomically
 * (temp + rename). A file that does not parse is skipped, never fatal: the history is a convenience.
 */
export class RunStore {
  private cache: Map<string, RunSeries> | null = null;

  constructor(readonly dir: string) {}

  private fileOf(run: RunSummary): string {
    return join(this.dir, `${run.startedAt.replace(/[:.]/g, '-')}-${run.runId}.json`);
  }

  private load(): Map<string, RunSeries> {
    if (this.cache) return this.cache;
    const runs = new Map<string, RunSeries>();
    let names: string[] = [];
    try {
      names = readdirSync(this.dir).filter((n) => n.endsWith('.json'));
    } catch {
      // No history yet.
    }
    for (const name of names.sort()) {
      try {
        const parsed = RunSeries.safeParse(JSON.parse(readFileSync(join(this.dir, name), 'utf8')));
        if (parsed.success) runs.set(parsed.data.run.runId, parsed.data);
      } catch {
        // A half-written or foreign file: skipped.
      }
    }
    return (this.cache = runs);
  }

  save(series: RunSeries): void {
    const runs = this.load();
    runs.set(series.run.runId, series);
    mkdirSync(this.dir, { recursive: true });
    const file = this.fileOf(series.run);
    writeFileSync(`${file}.tmp`, JSON.stringify(series));
    renameSync(`${file}.tmp`, file);
    const extra = [...runs.values()]
      .sort((a, b) => a.run.startedAt.localeCompare(b.run.startedAt))
      .slice(0, Math.max(0, runs.size - KEEP_RUNS));
    for (const old of extra) {
      runs.delete(old.run.runId);
      rmSync(this.fileOf(old.run), { force: true });
    }
  }

  get(runId: string): RunSeries | null {
    return this.load().get(runId) ?? null;
  }

  /** Newest first. */
  list(): RunSeries[] {
    return [...this.load().values()].sort((a, b) => b.run.startedAt.localeCompare(a.run.startedAt));
  }
}
