import { realpath } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';

/** The absolute path with symbolic links resolved, for the part of it that exists. */
export async function realTarget(path: string): Promise<string> {
  const absolute = resolve(path);
  let existing = absolute;
  const rest: string[] = [];
  for (;;) {
    try {
      const real = await realpath(existing);
      return rest.length ? resolve(real, ...rest.reverse()) : real;
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return absolute;
      rest.push(basename(existing));
      existing = parent;
    }
  }
}
