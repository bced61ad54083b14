import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Settings } from '../contract';

/**
 * User settings as one JSON file in the app's config folder. Writes are atomic (temp + rename), so a crash
 * never leaves half a file; a file that no longer parses is set aside, not silently overwritten.
 */
export class SettingsStore {
  readonly file: string;
  private cache: Settings | undefined;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(readonly configDir: string) {
    this.file = join(configDir, 'settings.json');
  }

  async get(): Promise<Settings> {
    if (this.cache) return this.cache;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return (this.cache = {});
      throw error;
    }
    const parsed = safeJson(text);
    const result = Settings.safeParse(parsed);
    if (!result.success) {
      const aside = `${this.file}.invalid-${Date.now()}`;
      await rename(this.file, aside);
      process.emitWarning(`Settings file did not validate; moved to ${aside} and started from defaults.`);
      return (this.cache = {});
    }
    return (this.cache = result.data);
  }

  /** Updates run one after another, each merging into the result of the last, so none is lost. */
  update(patch: Settings): Promise<Settings> {
    const result = this.writing.then(async () => {
      const next: Settings = { ...(await this.get()), ...patch };
      await this.write(next);
      this.cache = next;
      return next;
    });
    this.writing = result.catch(() => undefined);
    return result;
  }

  private async write(settings: Settings): Promise<void> {
    await mkdir(this.configDir, { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(settings, null, 2)}\n`, 'utf8');
    await rename(temp, this.file);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
