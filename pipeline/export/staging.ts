import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ApiError } from '../contract/envelope';
import { makeFolder } from '../make-folder';

/**
 * Files are written into a hidden folder inside the output folder (same file system, so the final renames
 * are atomic) and only moved to their names once every one is complete. Anything that fails or is
 * cancelled removes the staging folder, and the output folder too if this export created it.
 */
export class Staging {
  private constructor(
    readonly outDir: string,
    readonly dir: string,
    private readonly created: string | undefined,
  ) {}

  static async open(outDir: string): Promise<Staging> {
    let created: string | undefined;
    try {
      created = await makeFolder(outDir);
      const dir = join(outDir, `.clickpulse-export-${process.pid}-${Date.now()}`);
      await mkdir(dir);
      return new Staging(outDir, dir, created);
    } catch (error) {
      if (created) await rm(created, { recursive: true, force: true });
      throw writeError(outDir, error);
    }
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** Moves every staged file to its name; if one move fails, the ones already moved are taken back. */
  async commit(names: string[], force: boolean): Promise<string[]> {
    const moved: string[] = [];
    try {
      for (const name of names) {
        const target = join(this.outDir, name);
        if (!force && (await exists(target))) throw conflict([target]);
        await rename(this.path(name), target);
        moved.push(target);
      }
      return moved;
    } catch (error) {
      // Without force nothing was replaced, so taking the new files back restores the folder as it was.
      if (!force) await Promise.all(moved.map((p) => rm(p, { force: true })));
      throw writeError(this.outDir, error);
    } finally {
      await rm(this.dir, { recursive: true, force: true });
    }
  }

  async discard(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    if (this.created) await rm(this.created, { recursive: true, force: true });
  }
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export function conflict(paths: string[]): ApiError {
  const names = paths.map((p) => basename(p));
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
  return new ApiError({
    code: 'CONFLICT',
    message: `${shown} already exist${names.length === 1 ? 's' : ''} in ${dirname(paths[0] ?? '')}; choose another folder or allow overwriting.`,
  });
}

/** File-system failures as one sentence naming the folder. */
export function writeError(outDir: string, error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
    return new ApiError({
      code: 'FAILED',
      message: `Cannot write into ${outDir}: the folder is read-only or not yours.`,
    });
  }
  if (code === 'ENOSPC')
    return new ApiError({ code: 'FAILED', message: `The disk holding ${outDir} is full.` });
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    return new ApiError({ code: 'VALIDATION', message: `${outDir} is a file, not a folder.` });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError({ code: 'FAILED', message: `Export into ${outDir} failed: ${message}` });
}
