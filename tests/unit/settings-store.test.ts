import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../pipeline/app/settings-store';
import { tempDir } from '../helpers/temp';

describe('SettingsStore', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => (dir = await tempDir()));
  afterEach(() => dir.remove());

  it('persists across instances', async () => {
    await new SettingsStore(dir.path).update({ lakeDir: '/data/lake', theme: 'dark' });
    await new SettingsStore(dir.path).update({ brokerPort: 9093 });
    expect(await new SettingsStore(dir.path).get()).toEqual({
      lakeDir: '/data/lake',
      theme: 'dark',
      brokerPort: 9093,
    });
  });

  it('sets an invalid file aside instead of overwriting it', async () => {
    await writeFile(join(dir.path, 'settings.json'), '{"brokerPort": "not a port"');
    const store = new SettingsStore(dir.path);
    expect(await store.get()).toEqual({});
    const files = await readdir(dir.path);
    expect(files.some((f) => f.startsWith('settings.json.invalid-'))).toBe(true);
  });

  it('serializes concurrent updates without losing one', async () => {
    const store = new SettingsStore(dir.path);
    await Promise.all([store.update({ theme: 'light' }), store.update({ brokerPort: 1234 })]);
    expect(await new SettingsStore(dir.path).get()).toEqual({ theme: 'light', brokerPort: 1234 });
  });
});
