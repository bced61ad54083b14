import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ApiError } from '../contract';
import type { DirectoryListing } from '../contract/app';

/**
 * Lists a folder for the in-app file picker (the browser mode cannot open a native dialog or see real paths).
 * Hidden entries are left out; folders first, then files, each alphabetically.
 */
export async function listDirectory(
  path: string | undefined,
  extensions: string[] = [],
  foldersOnly = false,
): Promise<DirectoryListing> {
  const dir = resolve(path && path.trim() ? path : homedir());
  let names: string[];
  try {
    if (!(await stat(dir)).isDirectory())
      throw new ApiError({ code: 'VALIDATION', message: `${dir} is not a folder.` });
    names = await readdir(dir);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES'
          ? 'cannot be read (permission denied)'
          : 'cannot be read';
    throw new ApiError({
      code: code === 'ENOENT' ? 'NOT_FOUND' : 'FAILED',
      message: `The folder ${dir} ${why}.`,
    });
  }
  const wanted = extensions.map((e) => e.toLowerCase());
  const entries = await Promise.all(
    names
      .filter((name) => !name.startsWith('.'))
      .map(async (name) => {
        try {
          const info = await stat(join(dir, name));
          if (info.isDirectory())
            return { name, kind: 'dir' as const, size: 0, modified: info.mtime.toISOString() };
          if (!info.isFile() || foldersOnly) return undefined;
          if (wanted.length && !wanted.some((ext) => name.toLowerCase().endsWith(ext))) return undefined;
          return { name, kind: 'file' as const, size: info.size, modified: info.mtime.toISOString() };
        } catch {
          return undefined; // vanished or unreadable entries are simply not offered
        }
      }),
  );
  const shown = entries.filter((e) => e !== undefined);
  shown.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1));
  const parent = dirname(dir);
  return { path: dir, parent: parent === dir ? null : parent, entries: shown };
}
