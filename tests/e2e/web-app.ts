import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startWebCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { launchChromium } from './browser';

export interface WebApp {
  /** The tokened URL "clickpulse web" printed. */
  url: string;
  browser: Browser;
  /** A temp folder holding lake/ and config/. */
  dir: string;
  lake: string;
}

/**
 * For one describe block: a fresh temp lake (optionally prepared), the built "clickpulse web" serving it,
 * and Chromium; all torn down afterwards. Read the fields inside tests (they are set in beforeAll).
 */
export function useWebApp(prepare?: (lake: string) => Promise<void>): WebApp {
  const app = {} as WebApp;
  let stop: (() => Promise<void>) | undefined;
  let remove: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const dir = await tempDir();
    remove = dir.remove;
    app.dir = dir.path;
    app.lake = join(dir.path, 'lake');
    await prepare?.(app.lake);
    const web = await startWebCli(['--lake', app.lake, '--config', join(dir.path, 'config')]);
    stop = web.stop;
    app.url = web.url;
    app.browser = await launchChromium();
  });
  afterAll(async () => {
    await app.browser?.close();
    await stop?.();
    await remove?.();
  });
  return app;
}
