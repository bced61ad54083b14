import { closeSync, fsyncSync, openSync, renameSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { fsyncDirectory } from '../fsync-dir';
import { lakePaths } from '../lake/layout';
import { quoteLiteral } from '../query/sql-builder';
import type { BronzeManifest, BronzeRange } from './bronze-manifest';
import { readSilverProgress, silverNext, type SilverProgress } from '../lake/silver/state';

export interface CompactionOptions {
  /** Files below this many rows are small. */
  smallRows: number;
  /** A merged file holds at most this many rows. */
  maxRows: number;
  /** Merge only when at least this many small files are in a row. */
  minFiles: number;
}

export const DEFAULT_COMPACTION: CompactionOptions = { smallRows: 100_000, maxRows: 1_000_000, minFiles: 4 };

/**
 * Merges runs of small Bronze files that Silver has already taken in into one file per run, without
 * breaking readers: the merged file is written aside, fsynced and renamed in; then the manifest records the
 * swap and the small files are renamed out of every glob's sight. In between, the app's readers skip files
 * whose offsets another file covers (lake/files bronzeFiles), and a crash is finished on the next start
 * (BronzeManifest). Returns how many files were merged into how many.
 */
export async function compactBronze(
  db: DuckDBConnection,
  lake: string,
  manifest: BronzeManifest,
  options: CompactionOptions = DEFAULT_COMPACTION,
): Promise<{ merged: number; into: number }> {
  // Read only: Silver's watermark says which files it has taken in; compaction never changes Silver's state.
  const progress = readSilverProgress(lake, manifest.topic);
  let merged = 0;
  let into = 0;
  for (const run of smallRuns(manifest.ranges(), progress, options)) {
    const first = run[0] as BronzeRange;
    const last = run.at(-1) as BronzeRange;
    const target = lakePaths(lake).bronzeFile(
      manifest.topic,
      first.partition,
      BigInt(first.first),
      BigInt(last.last),
    );
    const temp = `${target}.tmp`;
    const list = run.map((r) => quoteLiteral(join(lake, r.file))).join(', ');
    // The run's files are consecutive offset ranges, each in offset order, listed in that order; DuckDB keeps
    // the files' order (insertion order is preserved), so the copy streams in offset order with no sort.
    // Sorting up to 1M messages (values and headers) ran out of the refiner's 320 MB DuckDB once in four
    // 1M-row replays, and in the one run tried with a 200 MB cap.
    await db.run(
      `COPY (SELECT * FROM read_parquet([${list}])) TO ${quoteLiteral(temp)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    const fd = openSync(temp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // Below Silver's watermark, so the merged file never counts as new Bronze.
    const file = relative(lake, target);
    renameSync(temp, target);
    fsyncDirectory(dirname(target));
    manifest.compact(
      {
        partition: first.partition,
        first: first.first,
        last: last.last,
        rows: run.reduce((n, r) => n + r.rows, 0),
        file,
        committedAt: new Date().toISOString(),
      },
      run.map((r) => r.file),
    );
    merged += run.length;
    into += 1;
  }
  return { merged, into };
}

/** Per partition, consecutive small files below Silver's watermark, cut into runs of at most maxRows. */
function smallRuns(ranges: BronzeRange[], progress: SilverProgress, o: CompactionOptions): BronzeRange[][] {
  const runs: BronzeRange[][] = [];
  let current: BronzeRange[] = [];
  let rows = 0;
  const close = () => {
    if (current.length >= o.minFiles) runs.push(current);
    current = [];
    rows = 0;
  };
  let partition = -1;
  for (const r of ranges) {
    if (r.partition !== partition) {
      close();
      partition = r.partition;
    }
    const fits = r.rows < o.smallRows && r.last < silverNext(progress, r.partition);
    if (!fits) {
      close();
      continue;
    }
    if (rows + r.rows > o.maxRows) close();
    current.push(r);
    rows += r.rows;
  }
  close();
  return runs;
}
