import { createReadStream, existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { SourceLine } from '../contract';
import { CheckpointStore } from '../replay/run/checkpoint';

/**
 * The replay names each source `<file name>@<hash of its real path, size and modification time>` (see
 * replay-run.ts) and numbers its rows in replay order. This finds the file behind a source id among the
 * candidates (files replayed before, from the replay's checkpoints, plus any given), only when it is still
 * the same file (same hash), and reads the row's line back.
 */
export function sourceIdOf(path: string): string {
  const stat = statSync(path);
  return `${basename(path)}@${CheckpointStore.keyOf([realpathSync(path), stat.size, stat.mtimeMs]).slice(0, 12)}`;
}

/** Files the replay has read (its checkpoints record each path). */
export function replayedFiles(configDir: string): string[] {
  const dir = join(configDir, 'replay-checkpoints');
  if (!existsSync(dir)) return [];
  const paths: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    try {
      const saved = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { path?: unknown };
      if (typeof saved.path === 'string') paths.push(saved.path);
    } catch {
      // A checkpoint being rewritten: the next look finds it.
    }
  }
  return paths;
}

export function findSource(sourceId: string, candidates: string[]): string | null {
  const name = sourceId.replace(/@[0-9a-f]+$/, '');
  for (const path of new Set(candidates)) {
    try {
      if (basename(path) === name && sourceIdOf(path) === sourceId) return path;
    } catch {
      // Gone or unreadable: not this one.
    }
  }
  return null;
}

/**
 * Row `row` (1-based, in file order) of a CSV (after its header) or JSON-lines file: the line and its number.
 * Blank lines hold no row; `skipLines` are lines the CSV reader rejected (they went to the DLQ, not numbered).
 */
export async function readRowLine(
  path: string,
  row: number,
  skipLines: Set<number> = new Set(),
): Promise<{ line: number; text: string } | null> {
  const json = /\.(jsonl|ndjson|json)(\.gz)?$/i.test(path);
  const raw = createReadStream(path);
  const input = /\.gz$/i.test(path) ? raw.pipe(createGunzip()) : raw;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  let rowsSeen = 0;
  try {
    for await (const text of lines) {
      lineNumber++;
      if (!json && lineNumber === 1) continue;
      if (text.trim() === '' || skipLines.has(lineNumber)) continue;
      rowsSeen++;
      if (rowsSeen === row) return { line: lineNumber, text };
    }
    return null;
  } finally {
    lines.close();
    raw.destroy();
  }
}

/** The source line of one record, checked against its message: its values must be on that line. */
export async function sourceLine(
  sourceId: string,
  row: number,
  candidates: string[],
  message: Record<string, unknown> | null,
): Promise<SourceLine> {
  const path = findSource(sourceId, candidates);
  const base = { sourceId, row, path, line: null, text: null };
  if (!path) {
    return {
      ...base,
      note: `${sourceId.replace(/@.*/, '')} is not on this machine any more, or it changed since it was replayed (its size or modification time differ).`,
    };
  }
  if (/\.parquet$/i.test(path))
    return { ...base, note: `A Parquet source has no lines: this is row ${row} of ${path}.` };
  const found = await readRowLine(path, row);
  if (!found) return { ...base, note: `${path} has fewer than ${row} rows.` };
  const values = ['user_id', 'product_id']
    .map((k) => message?.[k])
    .filter((v): v is string => typeof v === 'string' && v !== '');
  if (!values.every((v) => found.text.includes(v))) {
    return {
      ...base,
      note: `Line ${found.line} does not hold this event's values: the replay read this file in another order (sorted by event time, or from a window), so row ${row} is a place in that order, not in the file.`,
    };
  }
  return { ...base, line: found.line, text: found.text, note: null };
}
