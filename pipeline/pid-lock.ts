import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Takes `file` as a lock holding this process id; returns its release. A lock left by a process that no
 * longer runs (a crash, kill -9) is taken over; one held by a live process fails with `inUse(pid)`.
 */
export function takePidLock(file: string, inUse: (pid: number) => string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(file, 'utf8'));
      if (owner !== process.pid && isAlive(owner)) throw new Error(inUse(owner));
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${file}.`);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
