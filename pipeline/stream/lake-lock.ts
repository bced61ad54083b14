import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { lakePaths } from '../lake/layout';
import { takePidLock } from '../pid-lock';

/** One lake writer per lake folder: a second one would write overlapping Bronze files. */
export function lockLake(lake: string): () => void {
  const dir = lakePaths(lake).state;
  mkdirSync(dir, { recursive: true });
  return takePidLock(
    join(dir, 'stream.lock'),
    (pid) => `The lake ${lake} is being written by another lake consumer (process ${pid}).`,
  );
}
