import { closeSync, fsyncSync, openSync } from 'node:fs';

/**
 * Makes file creations, renames and deletions in a folder durable. Best effort: Windows cannot open a
 * folder to fsync it (NTFS journals the rename anyway), and the data files themselves are fsynced apart.
 */
export function fsyncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // see above: an extra guarantee, not a requirement
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
