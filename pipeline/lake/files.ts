import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Which files of the lake are committed and current: the one place that knows the naming rules of
 * layout.ts (temp files start with '.', never end in .parquet; Bronze files are named by offset range).
 * The builds, the stream's refiner, the catalog and export all list files through here.
 */

/** Committed Parquet files below a folder (or the file itself); temp files never end in .parquet. */
export async function parquetFiles(dirOrFile: string): Promise<string[]> {
  let info;
  try {
    info = await stat(dirOrFile);
  } catch {
    return [];
  }
  if (info.isFile()) return dirOrFile.endsWith('.parquet') ? [dirOrFile] : [];
  const entries = await readdir(dirOrFile, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.parquet') && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

const OFFSET_RANGE = /(\d{20})-(\d{20})\.parquet$/;

/**
 * A Bronze topic's current files: while a compaction swaps a merged file in for the small ones it replaces,
 * both briefly exist; a file whose offset range lies within another file's of the same partition is left
 * out, so a reader never counts a message twice.
 */
export async function bronzeFiles(dir: string): Promise<string[]> {
  const files = await parquetFiles(dir);
  const ranges = files.map((file) => {
    const m = OFFSET_RANGE.exec(file);
    return { file, part: dirname(file), first: Number(m?.[1] ?? -1), last: Number(m?.[2] ?? -1) };
  });
  return ranges
    .filter(
      (r) =>
        r.first < 0 ||
        !ranges.some(
          (o) =>
            o !== r &&
            o.part === r.part &&
            o.first <= r.first &&
            o.last >= r.last &&
            o.last - o.first > r.last - r.first,
        ),
    )
    .map((r) => r.file);
}

/** Folders below dir, without hidden or temp ones ('.' or '_'), sorted. */
export async function subfolders(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_'))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/**
 * The note a Silver compaction writes beside a merged file before renaming it in: `.<merged>.replaces.json`,
 * `{ "replaces": [names] }` (silver/compact.ts). While the merged file and the note both exist, the files it
 * names are left out of every listing below, so a reader never sees a row twice or misses one.
 */
export function replacesNote(dir: string, merged: string): string {
  return join(dir, `.${merged}.replaces.json`);
}

const NOTE = /^\.(.+\.parquet)\.replaces\.json$/;

/** The files a folder's compaction notes say are replaced by a merged file present in `names`. */
function replacedIn(dir: string, names: string[]): Set<string> {
  const present = new Set(names);
  const replaced = new Set<string>();
  for (const name of names) {
    const merged = NOTE.exec(name)?.[1];
    if (!merged || !present.has(merged)) continue;
    try {
      const note = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { replaces: string[] };
      for (const r of note.replaces) replaced.add(r);
    } catch {
      // Removed since listed: the compaction is over and its inputs are gone.
    }
  }
  return replaced;
}

/** A Silver folder's current Parquet file names, sorted: committed, and not replaced by a merged one. */
export function currentParquetNames(dir: string): string[] {
  if (!existsSync(dir)) return [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const replaced = replacedIn(dir, names);
  return names.filter((n) => n.endsWith('.parquet') && !n.startsWith('.') && !replaced.has(n)).sort();
}

/** Every current file of Silver's events, all days (full paths, sorted): what the app's readers read. */
export async function silverEventFiles(eventsDir: string): Promise<string[]> {
  let days: string[];
  try {
    days = (await readdir(eventsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
  return days.flatMap((day) => currentParquetNames(join(eventsDir, day)).map((n) => join(eventsDir, day, n)));
}
