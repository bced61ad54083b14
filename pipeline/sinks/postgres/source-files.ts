import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { currentParquetNames } from '../../lake/files';

/** The committed Parquet files of one table (or one day of it) and an identity that changes when any does. */
export interface SourceFiles {
  files: string[];
  /** sha1 over each file's relative path, size, mtime and inode: a rewrite (temp + rename) always changes it. */
  fingerprint: string;
  /** Newest file's mtime (ms): when the refresh this set reflects happened. */
  modifiedMs: number;
  /** Files sit under key=value folders (Hive partitioning, e.g. event_date=2019-10-01). */
  hive: boolean;
}

/**
 * Lists a folder's Parquet files recursively, skipping temp names ('.' or '_' first, or not ending in
 * .parquet): what a reader may use. Null when the folder does not exist or holds no Parquet file.
 * Reading the sink's source this way keeps it independent of how the lake's writers are built: it only
 * relies on their promise that a file appears by rename, complete, and on the lake's rule for files a
 * compaction replaced.
 */
export async function sourceFiles(dir: string): Promise<SourceFiles | null> {
  const entries: { rel: string; size: number; mtimeMs: number; ino: number }[] = [];
  const walk = async (folder: string): Promise<void> => {
    let names;
    try {
      names = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    // Less the files a Silver compaction's merged file has replaced (they go right after): lake/files.ts.
    const current = new Set(currentParquetNames(folder));
    for (const entry of names) {
      if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && current.has(entry.name)) {
        const s = await stat(path).catch(() => null);
        if (s) entries.push({ rel: relative(dir, path), size: s.size, mtimeMs: s.mtimeMs, ino: s.ino });
      }
    }
  };
  await walk(dir);
  if (entries.length === 0) return null;
  entries.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const hash = createHash('sha1');
  for (const e of entries) hash.update(`${e.rel}\0${e.size}\0${e.mtimeMs}\0${e.ino}\n`);
  return {
    files: entries.map((e) => join(dir, e.rel)),
    fingerprint: hash.digest('hex'),
    modifiedMs: Math.max(...entries.map((e) => e.mtimeMs)),
    hive: entries.some((e) => e.rel.includes('=')),
  };
}

/** Silver's day folders (event_date=YYYY-MM-DD) with their files, by date. */
export async function dayFolders(dir: string): Promise<Map<string, SourceFiles>> {
  const out = new Map<string, SourceFiles>();
  let names;
  try {
    names = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw error;
  }
  for (const entry of names) {
    const day = /^event_date=(\d{4}-\d{2}-\d{2})$/.exec(entry.name)?.[1];
    if (!day || !entry.isDirectory()) continue;
    const files = await sourceFiles(join(dir, entry.name));
    // The day comes from the folder name (Hive partitioning), as every Parquet reader of the lake sees it.
    if (files) out.set(day, { ...files, hive: true });
  }
  return out;
}
