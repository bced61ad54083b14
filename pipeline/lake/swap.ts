import { rename, rm, stat } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

/**
 * Puts a freshly written folder in place of the old one: the old is renamed aside, the new renamed in,
 * the old removed. Each rename is atomic; readers see the old folder or the new one, never a mix (for
 * an instant, neither — they then read an empty table, never a half-written one).
 */
export async function swapFolder(staging: string, target: string): Promise<void> {
  const aside = join(dirname(target), `.old-${basename(target)}-${process.pid}-${Date.now()}`);
  const hadOld = await stat(target).then(
    () => true,
    () => false,
  );
  if (hadOld) await rename(target, aside);
  await rename(staging, target);
  if (hadOld) await rm(aside, { recursive: true, force: true });
}
