import { sep } from 'node:path';
import { realTarget } from './real-target';

export type GrantKind = 'file' | 'folder';

/**
 * The paths the user chose in this session: what the native dialog (desktop app) or the in-app picker
 * (browser mode) returned. A folder covers everything inside it; a file only itself. Held in memory only, so a
 * restart starts empty: a path written into settings by a page is never a grant.
 */
export class PathGrants {
  private readonly files = new Set<string>();
  private readonly folders = new Set<string>();
  /** Folders the in-app picker has shown (files.list): what it can return. */
  private readonly listed = new Set<string>();
  /** Grants still resolving their symbolic links: a check waits for them, so a grant is never overtaken. */
  private pending: Promise<unknown> = Promise.resolve();

  grant(path: string, kind: GrantKind): Promise<void> {
    const done = this.pending.then(async () => {
      const real = await realTarget(path);
      (kind === 'folder' ? this.folders : this.files).add(real);
    });
    this.pending = done.catch(() => undefined);
    return done;
  }

  async covers(path: string): Promise<boolean> {
    await this.pending;
    const real = await realTarget(path);
    if (this.files.has(real)) return true;
    for (const folder of this.folders) if (real === folder || real.startsWith(folder + sep)) return true;
    return false;
  }

  /** The picker listed this folder (its real path). */
  async listedFolder(path: string): Promise<void> {
    this.listed.add(await realTarget(path));
  }

  async wasListed(folder: string): Promise<boolean> {
    return this.listed.has(await realTarget(folder));
  }
}
