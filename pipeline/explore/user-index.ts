import type { DuckDBConnection } from '@duckdb/node-api';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { silverEventFiles } from '../lake/files';
import { lakePaths } from '../lake/layout';
import { quoteLiteral } from '../query/sql-builder';

/**
 * Where each user's Silver events are, so a journey reads a few rows instead of scanning all of Silver for one
 * user_id (at 5M rows the scans took 0.7 s of a 1.5 s journey). Kept beside the lake, never inside Silver:
 *
 *   <lake>/_state/explore/user-index/manifest.json     the segments, and the Silver files each one covers
 *   <lake>/_state/explore/user-index/seg-<id>.parquet   (user_id, file, row) sorted by user_id
 *
 * A refresh indexes only the Silver files no segment covers yet (a file is known by its path, size and
 * mtime, so a step that rewrote its own file is indexed again), in one new segment: the cost follows new data,
 * and no existing segment is rewritten. Rows of a segment whose file has changed since are ignored at lookup.
 * Sorted by user_id in small row groups, a lookup reads one row group per segment (their min/max skip the
 * rest); `row` is the event's file_row_number, which DuckDB's Parquet reader uses to skip row groups too.
 */

const Source = z.object({ path: z.string(), size: z.number(), mtimeMs: z.number() });
const Manifest = z.object({
  version: z.literal(1),
  segments: z.array(z.object({ file: z.string(), sources: z.array(Source) })),
});
type Manifest = z.infer<typeof Manifest>;
type Source = z.infer<typeof Source>;

/** Rows per row group of a segment: a lookup reads one of these per segment. */
const ROW_GROUP = 16_384;

const identity = (s: Source) => `${s.path}\0${s.size}\0${s.mtimeMs}`;

export function userIndexDir(lake: string): string {
  return join(lakePaths(lake).state, 'explore', 'user-index');
}

/** The Silver files now, with the identity a segment records. */
async function silverSources(lake: string): Promise<Source[]> {
  const root = lakePaths(lake).silverEvents;
  // Current files only: a compaction's merged file replaces its inputs at once (lake/files.ts).
  const files = await silverEventFiles(root);
  const out: Source[] = [];
  for (const file of files) {
    try {
      const info = await stat(file);
      out.push({ path: relative(root, file), size: info.size, mtimeMs: info.mtimeMs });
    } catch {
      // Replaced while listed: the next refresh sees its successor.
    }
  }
  return out;
}

async function readManifest(dir: string): Promise<Manifest> {
  try {
    return Manifest.parse(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
  } catch {
    // Missing or unreadable: index from scratch (segments are derived data, the lake is the truth).
    return { version: 1, segments: [] };
  }
}

function writeManifest(dir: string, manifest: Manifest): void {
  const temp = join(dir, `.manifest-${randomBytes(4).toString('hex')}.tmp`);
  writeFileSync(temp, JSON.stringify(manifest));
  renameSync(temp, join(dir, 'manifest.json'));
}

export interface UserIndex {
  silverRoot: string;
  dir: string;
  /** Segments with at least one current source, and which of their sources are current. */
  segments: { file: string; current: Set<string> }[];
}

const running = new Map<string, Promise<unknown>>();

/**
 * Brings the index up to date with Silver and returns it. One refresh at a time per lake in this process; a
 * caller that finds one running waits for it, then indexes whatever is still new.
 */
export async function refreshUserIndex(db: DuckDBConnection, lake: string): Promise<UserIndex> {
  for (;;) {
    const pending = running.get(lake);
    if (!pending) break;
    await pending.catch(() => undefined);
  }
  const work = refresh(db, lake);
  running.set(lake, work);
  try {
    return await work;
  } finally {
    if (running.get(lake) === work) running.delete(lake);
  }
}

async function refresh(db: DuckDBConnection, lake: string): Promise<UserIndex> {
  const dir = userIndexDir(lake);
  const silverRoot = lakePaths(lake).silverEvents;
  const [sources, manifest] = await Promise.all([silverSources(lake), readManifest(dir)]);
  const now = new Set(sources.map(identity));
  const covered = new Set(manifest.segments.flatMap((s) => s.sources.map(identity)));
  const fresh = sources.filter((s) => !covered.has(identity(s)));
  const kept = manifest.segments.filter((s) => s.sources.some((x) => now.has(identity(x))));
  const dropped = manifest.segments.filter((s) => !kept.includes(s));
  if (fresh.length || dropped.length) {
    mkdirSync(dir, { recursive: true });
    const segments = [...kept];
    if (fresh.length) {
      const file = `seg-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}.parquet`;
      const temp = join(dir, `.${file}.tmp`);
      const list = fresh.map((s) => quoteLiteral(join(silverRoot, s.path))).join(', ');
      // Each file's path relative to Silver, matched on the exact name DuckDB reports (not cut by length).
      const names = fresh.map((s) => `(${quoteLiteral(join(silverRoot, s.path))}, ${quoteLiteral(s.path)})`);
      await db.run(
        `COPY (SELECT user_id, f.rel AS file, file_row_number AS "row"
               FROM read_parquet([${list}], filename = true, file_row_number = true, union_by_name = true) r
               JOIN (VALUES ${names.join(', ')}) AS f(abs, rel) ON r.filename = f.abs
               WHERE user_id IS NOT NULL ORDER BY user_id, file, "row")
         TO ${quoteLiteral(temp)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP})`,
      );
      renameSync(temp, join(dir, file));
      segments.push({ file, sources: fresh });
    }
    writeManifest(dir, { version: 1, segments });
    // After the manifest stops naming them: a reader that listed them before has them open already or
    // gets a missing-file error and retries from the new manifest.
    for (const s of dropped) rmSync(join(dir, s.file), { force: true });
    removeOrphans(dir, segments);
    return index(silverRoot, dir, segments, now);
  }
  return index(silverRoot, dir, manifest.segments, now);
}

/** Minutes after which a segment no manifest names is an orphan: another process's refresh lost the race. */
const ORPHAN_AGE_MS = 10 * 60_000;

/**
 * Two processes refreshing one lake at once (the app and the CLI) each write a segment, and the manifest written
 * last names only its own: the other segment's files are indexed again next time, and its file is removed
 * here once it is old enough that no refresh can still be about to name it.
 */
function removeOrphans(dir: string, segments: Manifest['segments']): void {
  const named = new Set(segments.map((s) => s.file));
  for (const name of readdirSync(dir)) {
    if (!/^seg-.*\.parquet$/.test(name) || named.has(name)) continue;
    try {
      if (Date.now() - statSync(join(dir, name)).mtimeMs > ORPHAN_AGE_MS)
        rmSync(join(dir, name), { force: true });
    } catch {
      // Gone already.
    }
  }
}

function index(silverRoot: string, dir: string, segments: Manifest['segments'], now: Set<string>): UserIndex {
  return {
    silverRoot,
    dir,
    segments: segments
      .map((s) => ({
        file: join(dir, s.file),
        current: new Set(s.sources.filter((x) => now.has(identity(x))).map((x) => x.path)),
      }))
      .filter((s) => s.current.size > 0),
  };
}

/** A user's events as (Silver file, file_row_number list), from the segments' current sources only. */
export async function userRows(
  db: DuckDBConnection,
  idx: UserIndex,
  userId: string,
): Promise<Map<string, number[]>> {
  const found = new Map<string, number[]>();
  if (!idx.segments.length) return found;
  const list = idx.segments.map((s) => quoteLiteral(s.file)).join(', ');
  const result = await db.runAndReadAll(
    `SELECT filename, file, list("row" ORDER BY "row")
     FROM read_parquet([${list}], filename = true) WHERE user_id = $1 GROUP BY filename, file`,
    [userId],
  );
  const current = new Map(idx.segments.map((s) => [s.file, s.current]));
  for (const [segment, file, rows] of result.getRowsJS() as [string, string, bigint[]][]) {
    if (!current.get(segment)?.has(file)) continue;
    const path = join(idx.silverRoot, file);
    found.set(path, [...(found.get(path) ?? []), ...rows.map(Number)]);
  }
  return found;
}
