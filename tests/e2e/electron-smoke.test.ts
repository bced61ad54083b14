import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/workbench';
import { screenshot } from './browser';

/** The Electron binary, if this machine has one (installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1 do not). */
function electronBinary(): string | undefined {
  const pkg = join(repoRoot, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();
if (!binary)
  console.log(
    'Electron smoke test skipped: no Electron binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1).',
  );

describe('Electron desktop app', () => {
  it.skipIf(!binary)('opens the hardened window with the app shell', async () => {
    const app = await electron.launch({
      executablePath: binary,
      args: [repoRoot],
      env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' },
    });
    try {
      const window = await app.firstWindow();
      await window.getByRole('navigation', { name: 'Screens' }).waitFor();
      await window.getByText('Desktop').waitFor();
      const hasNode = await window.evaluate(
        () => typeof (globalThis as { require?: unknown }).require !== 'undefined',
      );
      expect(hasNode).toBe(false);
      // Served from the app:// protocol, not file://; answered by the Workbench in its utility process.
      expect(window.url()).toMatch(/^app:\/\/clickpulse\//);
      await screenshot(window, 'electron-shell');
    } finally {
      await app.close();
    }
  });
});
