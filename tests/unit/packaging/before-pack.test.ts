import type { Configuration } from 'app-builder-lib';
import { resolveFunction } from 'app-builder-lib/out/util/resolve.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBuilderConfig, projectRoot } from './builder';
import { tempDir } from '../../helpers/temp';

type Hook = (context: {
  packager: { projectDir: string };
  electronPlatformName: string;
  arch: number;
}) => Promise<void>;
// builder-util's Arch enum values, as electron-builder passes them.
const X64 = 1;
const ARM64 = 3;

describe('beforePack hook: the DuckDB binding each installer needs', () => {
  let config: Configuration;
  let hook: Hook;
  beforeAll(async () => {
    config = await loadBuilderConfig();
    expect(typeof config.beforePack).toBe('string');
    // Loaded exactly as electron-builder loads it.
    hook = await resolveFunction<Hook>(undefined, String(config.beforePack), 'beforePack', projectRoot);
  });

  it('lets the installer for this machine through', async () => {
    const platform = process.platform;
    const arch = process.arch === 'arm64' ? ARM64 : X64;
    await expect(
      hook({ packager: { projectDir: projectRoot }, electronPlatformName: platform, arch }),
    ).resolves.toBe(undefined);
  });

  it('stops a cross-architecture installer that would ship without its binding, and says how to add it', async () => {
    // A macOS architecture this machine's npm did not install: arm64 anywhere but on an Apple Silicon Mac.
    const arch = process.platform === 'darwin' && process.arch === 'arm64' ? X64 : ARM64;
    const platform = 'darwin';
    const name = `@duckdb/node-bindings-darwin-${arch === ARM64 ? 'arm64' : 'x64'}`;
    await expect(
      hook({ packager: { projectDir: projectRoot }, electronPlatformName: platform, arch }),
    ).rejects.toThrow(
      new RegExp(`needs DuckDB's native binding ${name}[^]*npm install --no-save --force ${name}@\\d`),
    );
  });

  it('names a platform DuckDB does not publish for', async () => {
    const empty = await tempDir();
    try {
      await expect(
        hook({ packager: { projectDir: empty.path }, electronPlatformName: 'freebsd', arch: X64 }),
      ).rejects.toThrow(/no native binding for freebsd x64/);
    } finally {
      await empty.remove();
    }
  });
});
