import { readdir, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, extname, resolve, sep } from 'node:path';
import { ApiError } from '../contract';

/**
 * Which paths the Workbench's calls may touch. Every transport gets the structural rules (the lake and
 * opened folders are never `/`, the home folder itself, a folder above it or a system folder; a saved
 * result is a .csv or .parquet file). The browser mode, where whatever holds the bridge's token can name
 * any path, also refuses hidden (dot) folders and files and known credential files for every path-taking
 * call, and overwrites only files inside the lake, the export folders and the folders results were saved
 * to. Paths are judged after symbolic links are resolved, so a link cannot smuggle a refused path in.
 */
export interface PathPolicyOptions {
  /** Browser mode: the deny-list and the overwrite rule apply. */
  strict: boolean;
  lakeDir: () => Promise<string>;
  /** The app's own folders (settings, generated datasets, bundled sample): read even when hidden. */
  appDirs: () => string[];
}

/** System folders no call reads from or writes to. */
const SYSTEM = [
  '/proc',
  '/sys',
  '/dev',
  '/etc',
  '/boot',
  '/run',
  '/var/run',
  '/bin',
  '/sbin',
  '/usr',
  '/lib',
];
/** Files that hold secrets even outside a dot-folder. */
const CREDENTIAL_NAMES =
  /^(id_(rsa|dsa|ecdsa|ed25519)(\.pub)?|credentials(\.json|\.db)?|known_hosts|authorized_keys)$|\.(pem|key|p12|pfx|kdbx|keychain)$/i;

export class PathPolicy {
  /** Folders the user exported or saved into: files there may be overwritten (besides the lake's). */
  private readonly writable = new Set<string>();

  constructor(private readonly options: PathPolicyOptions) {}

  /** A file or folder to read (listing, inspecting, replaying, exporting a saved result). */
  async readable(path: string | undefined, what: string): Promise<void> {
    const real = await realTarget(path && path.trim() ? path : homedir());
    refuseSystem(real, what);
    if (this.options.strict && !(await this.insideApp(real))) refuseSecret(real, what);
  }

  /** The lake folder set in the settings. */
  async lake(path: string): Promise<void> {
    const real = await realTarget(path);
    refuseRootOrHome(real, 'the lake');
    refuseSystem(real, 'the lake');
    if (this.options.strict) refuseSecret(real, 'the lake');
    const entries = await readdir(real).catch(() => [] as string[]);
    const lakeLike = entries.some((e) => ['bronze', 'silver', 'gold', '_state'].includes(e));
    if (entries.length > 0 && !lakeLike) {
      throw refusal(
        `${real} already holds other files and is not a ClickPulse lake; choose an empty folder or an existing lake.`,
      );
    }
  }

  /** A folder (or Parquet file) the user opens as files.<name>: SQL may then read everything in it. */
  async openFolder(path: string): Promise<void> {
    const real = await realTarget(path);
    refuseRootOrHome(real, 'an opened folder');
    refuseSystem(real, 'an opened folder');
    if (this.options.strict) refuseSecret(real, 'an opened folder');
  }

  /** A folder an export or a download writes into. */
  async outputFolder(path: string, what: string): Promise<void> {
    const real = await realTarget(path);
    if (real === sep) throw refusal(`${what} cannot be the root folder /; choose a folder of its own.`);
    refuseSystem(real, what);
    if (this.options.strict) refuseSecret(real, what);
  }

  /** A file query.save writes; overwriting needs a folder the app already writes to. */
  async saveTarget(path: string, format: 'csv' | 'parquet', overwrite: boolean): Promise<void> {
    if (extname(path).toLowerCase() !== `.${format}`) {
      throw new ApiError({
        code: 'VALIDATION',
        message: `A ${format.toUpperCase()} result is saved to a .${format} file, not ${basename(path)}.`,
      });
    }
    const real = await realTarget(path);
    refuseSystem(real, 'a saved result');
    if (!this.options.strict) return;
    refuseSecret(real, 'a saved result');
    const exists = await stat(real).then(
      () => true,
      () => false,
    );
    if (exists && overwrite && !(await this.mayOverwrite(real))) {
      throw refusal(
        `${real} already exists outside the lake and the folders you exported or saved to, so it is not overwritten; choose a new name.`,
      );
    }
  }

  /** Called after a successful export or save: that folder is one the user writes to. */
  async granted(folder: string): Promise<void> {
    this.writable.add(await realTarget(folder));
  }

  private async insideApp(real: string): Promise<boolean> {
    const dirs = await Promise.all([...this.options.appDirs(), await this.options.lakeDir()].map(realTarget));
    return dirs.some((d) => real === d || real.startsWith(d + sep));
  }

  private async mayOverwrite(real: string): Promise<boolean> {
    const lake = await realTarget(await this.options.lakeDir());
    const folders = [lake, ...this.writable];
    return folders.some((f) => real.startsWith(f + sep));
  }
}

/** The absolute path with symbolic links resolved, for the part of it that exists. */
async function realTarget(path: string): Promise<string> {
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

function refuseRootOrHome(real: string, what: string): void {
  const home = resolve(homedir());
  if (real === sep) throw refusal(`${what} cannot be the root folder /; choose a folder of its own.`);
  if (real === home) {
    throw refusal(`${what} cannot be your home folder itself; choose or create a folder inside it.`);
  }
  if (home.startsWith(real + sep)) {
    throw refusal(`${what} cannot be ${real}, which holds your home folder; choose a folder of its own.`);
  }
}

function refuseSystem(real: string, what: string): void {
  const system = SYSTEM.find((s) => real === s || real.startsWith(s + sep));
  if (system) throw refusal(`${real} is inside the system folder ${system}, which ${what} cannot be in.`);
}

function refuseSecret(real: string, what: string): void {
  const parts = real.split(sep).filter(Boolean);
  const hidden = parts.findIndex((p) => p.startsWith('.'));
  if (hidden >= 0) {
    const shown = sep + parts.slice(0, hidden + 1).join(sep);
    throw refusal(
      `${shown} is hidden (a dot-folder or dot-file), which the browser mode never opens for ${what}.`,
    );
  }
  if (CREDENTIAL_NAMES.test(basename(real))) {
    throw refusal(
      `${real} looks like a key or credential file, which the browser mode never opens for ${what}.`,
    );
  }
}

function refusal(message: string): ApiError {
  return new ApiError({ code: 'FORBIDDEN', message: `Refused: ${message}` });
}
