import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDirectory } from '../../fsync-dir';

/**
 * A partition's log start offset when DeleteRecords moved it inside a segment (Kafka keeps it in its
 * log-start-offset-checkpoint file). Without the file, the log starts at its first segment's base offset.
 * Written to a `.tmp` file, fsynced and renamed, so a crash leaves the old value or the new one; recovery
 * deletes a stray `.tmp`.
 */
const FILE = 'log-start-offset';

export function readStartOffset(dir: string): number {
  const path = join(dir, FILE);
  if (!existsSync(path)) return 0;
  const n = Number(readFileSync(path, 'utf8').trim());
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

export function writeStartOffset(dir: string, offset: number): void {
  const path = join(dir, FILE);
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, `${offset}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDirectory(dir);
}
