import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, extname, resolve, sep } from 'node:path';
import { ApiError } from '../contract';
import { PathGrants } from './path-grants';
import { realTarget } from './real-target';

/**
 * Which paths the Workbench's calls may touch. Every transport gets the structural rules (the lake and
 * opened folders are never `/`, the home folder itself, a folder above it or a system folder; a saved
 * result is a .csv or .parquet file). The browser mode, where whatever holds the bridge's token can name
 * any path, also refuses hidden (dot) folders and files and known credential files for every path-taking
 * call, and overwrites only files inside the lake, the export folders and the folders results were saved
 * to. A page (desktop window or browser) may moreover use only paths inside the app's own folders or ones
 * the user chose this session in the native dialog or the in-app picker (chosen(), PathGrants); the CLI,
 * where a local user typed the path, is not asked. Paths are judged after symbolic links are resolved, so a
 * link cannot smuggle a refused path in.
 */
export interface PathPolicyOptions {
  /** Browser mode: the deny-list and the overwrite rule apply. */
  strict: boolean;
  /**
   * Who grants paths to a page (see chosen()): the desktop app's native dialog, the browser mode's in-app
   * picker; null for the CLI, whose paths a local user typed.
   */
  chooser: 'dialog' | 'picker' | null;
  lakeDir: () => Promise<string>;
  /**
   * The app's own folders (settings, generated datasets, bundled sample, default downloads): read even when
   * hidden, and used by a page without being chosen.
   */
  appDirs: () => string[];
}

const CHOOSER = { dialog: 'a file dialog', picker: 'the in-app file picker' } as const;

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
  /^(id_(rsa|dsa|ecdsa|ed25519)(\.pub)?|credentials(\.json|\.db)?|known_hosts|authorized_keys)$|\.(p12|pfx|kdbx|keychain)$/i;
/** PEM certificates and keys: refused like credentials, except where TLS asks for one (keyMaterial). */
const PEM_NAMES = /\.(pem|key)$/i;

/** What a picked file is for: 'tls' = a certificate, key, CA or users file (see keyMaterial). */
export type PickPurpose = 'tls';

export class PathPolicy {
  /** Folders the user exported or saved into: files there may be overwritten (besides the lake's). */
  private readonly writable = new Set<string>();

  /** What the user chose this session (dialog or picker); see chosen(). */
  readonly grants = new PathGrants();

  constructor(private readonly options: PathPolicyOptions) {}

  /**
   * A path a page sends must be inside the app's own folders (the lake, settings, bundled and generated
   * data, default downloads) or one the user chose this session: a page cannot reach a path by naming it.
   */
  /** Whether its calls come from a page (a window or the bridge) rather than the user's own shell (the CLI). */
  get servesAPage(): boolean {
    return this.options.chooser !== null;
  }

  async chosen(path: string, what: string): Promise<void> {
    if (!this.options.chooser) return;
    const real = await realTarget(path);
    if ((await this.insideApp(real)) || (await this.grants.covers(real))) return;
    throw refusal(
      `${real} was not chosen in ${CHOOSER[this.options.chooser]} this session, so it cannot be ${what}; choose it there first.`,
    );
  }

  /**
   * What the in-app picker returns (browser mode): a file or folder in a folder it showed this session,
   * under the same rules as any path-taking call. The desktop app's grants come only from main's dialogs.
   */
  async picked(path: string, mode: 'file' | 'folder' | 'save', purpose?: PickPurpose): Promise<string> {
    if (this.options.chooser !== 'picker') {
      throw refusal(
        this.options.chooser === 'dialog'
          ? 'in the desktop app only the native file dialog grants a path.'
          : 'the command line uses the paths it is given; there is nothing to pick.',
      );
    }
    const real = await realTarget(path);
    const what = mode === 'folder' ? 'a picked folder' : 'a picked file';
    refuseSystem(real, what);
    if (this.options.strict) refuseSecret(real, what, purpose === 'tls' && mode === 'file');
    if (!(await this.grants.wasListed(mode === 'folder' ? real : dirname(real)))) {
      throw refusal(`${real} is not in a folder the in-app file picker showed this session.`);
    }
    await this.grants.grant(real, mode === 'folder' ? 'folder' : 'file');
    return resolve(path);
  }

  /** A file or folder to read (listing, inspecting, replaying, exporting a saved result). */
  async readable(path: string | undefined, what: string): Promise<void> {
    const real = await realTarget(path && path.trim() ? path : homedir());
    refuseSystem(real, what);
    if (this.options.strict && !(await this.insideApp(real))) refuseSecret(real, what);
  }

  /**
   * A certificate, key, CA or SASL users file the broker or a Kafka client reads (broker.start's security
   * files, a replay's or stream's tlsCa). Its contents never go back to the caller. In browser mode it
   * obeys the deny-list, except that a PEM certificate or key (*.pem, *.key) is what is asked for; the CLI
   * and the desktop app read what the user typed or picked (a server's /etc/ssl/private among them).
   */
  async keyMaterial(path: string, what: string): Promise<void> {
    if (!this.options.strict) return;
    const real = await realTarget(path);
    refuseSystem(real, what);
    refuseSecret(real, what, true);
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
  async wroteInto(folder: string): Promise<void> {
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

function refuseSecret(real: string, what: string, pemWanted = false): void {
  const parts = real.split(sep).filter(Boolean);
  const hidden = parts.findIndex((p) => p.startsWith('.'));
  if (hidden >= 0) {
    const shown = sep + parts.slice(0, hidden + 1).join(sep);
    throw refusal(
      `${shown} is hidden (a dot-folder or dot-file), which the browser mode never opens for ${what}.`,
    );
  }
  const name = basename(real);
  if (CREDENTIAL_NAMES.test(name) || (!pemWanted && PEM_NAMES.test(name))) {
    throw refusal(
      `${real} looks like a key or credential file, which the browser mode never opens for ${what}.`,
    );
  }
}

function refusal(message: string): ApiError {
  return new ApiError({ code: 'FORBIDDEN', message: `Refused: ${message}` });
}
