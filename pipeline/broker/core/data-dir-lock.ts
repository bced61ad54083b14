import { join } from 'node:path';
import { makeFolderSync } from '../../make-folder';
import { takePidLock } from '../../pid-lock';

/** Two brokers writing one data folder would interleave their logs: the second one is refused. */
export function lockDataDir(dataDir: string): () => void {
  makeFolderSync(dataDir);
  return takePidLock(
    join(dataDir, '.lock'),
    (pid) => `The broker data folder ${dataDir} is in use by another broker (process ${pid}).`,
  );
}
