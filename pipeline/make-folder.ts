import { mkdirSync, statSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ApiError } from './contract/envelope';

/*
 * Not `mkdir({ recursive: true })` for folders the user names: on a file system that answers ENOENT for a
 * folder whose parent exists (/proc, /sys), Node's recursive mkdir, sync or async, retries forever at full
 * CPU (`clickpulse export --out /proc/forbidden` spun at 86 % and ignored SIGTERM). These create one level
 * at a time and refuse with one sentence instead.
 */

/** Folders from the outermost missing one down to `dir` (empty when `dir` exists). */
function missingFolders(dir: string, isDir: (p: string) => boolean | null): string[] {
  const missing: string[] = [];
  for (let p = dir; ; p = dirname(p)) {
    const found = isDir(p);
    if (found === false) throw new ApiError({ code: 'VALIDATION', message: `${p} is a file, not a folder.` });
    if (found) return missing;
    missing.unshift(p);
    if (dirname(p) === p) return missing;
  }
}

function refusal(dir: string, folder: string, error: NodeJS.ErrnoException): Error | null {
  if (error.code === 'EEXIST') return null; // made meanwhile by someone else: fine
  if (error.code === 'ENOENT') {
    return new ApiError({
      code: 'FAILED',
      message: `Cannot create ${dir}: ${dirname(folder)} does not allow new folders; choose another folder.`,
    });
  }
  return error;
}

const kind = (info: { isDirectory(): boolean } | undefined) => (info ? info.isDirectory() : null);

/** Creates `dir` and its missing parents; returns the outermost folder it created (undefined if none). */
export async function makeFolder(dir: string): Promise<string | undefined> {
  const infos = new Map<string, boolean | null>();
  // stat every ancestor up front (async), then decide synchronously which are missing
  for (let p = dir; ; p = dirname(p)) {
    const info = await stat(p).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    infos.set(p, kind(info));
    if (info || dirname(p) === p) break;
  }
  const missing = missingFolders(dir, (p) => infos.get(p) ?? null);
  for (const folder of missing) {
    await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
      const refused = refusal(dir, folder, error);
      if (refused) throw refused;
    });
  }
  return missing[0];
}

/** The same, synchronously (for lock files taken at start-up). */
export function makeFolderSync(dir: string): string | undefined {
  const missing = missingFolders(dir, (p) => kind(statSync(p, { throwIfNoEntry: false })));
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      const refused = refusal(dir, folder, error as NodeJS.ErrnoException);
      if (refused) throw refused;
    }
  }
  return missing[0];
}
