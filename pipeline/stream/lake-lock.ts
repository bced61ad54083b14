import { join } from 'node:path';
import { makeFolderSync } from '../make-folder';
import { lakePaths } from '../lake/layout';
import { takePidLock } from '../pid-lock';

/** One lake writer per lake folder: a second one would write overlapping Bronze files. */
export function lockLake(lake: string): () => void {
  const dir = lakePaths(lake).state;
  makeFolderSync(dir);
  return takePidLock(
    join(dir, 'stream.lock'),
    (pid) => `The lake ${lake} is being written by another lake consumer (process ${pid}).`,
  );
}
