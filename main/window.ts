import { join } from 'node:path';
import { BrowserWindow, shell } from 'electron';
import { APP_INDEX_URL } from './app-protocol';
import { isAppUrl, isExternalLink, webPreferences, type RendererLocation } from './security';

export function rendererLocation(): RendererLocation {
  return { appUrl: APP_INDEX_URL, devUrl: process.env.ELECTRON_RENDERER_URL };
}

/** The folder the app:// handler serves. */
export const rendererDir = (): string => join(__dirname, '../renderer');

/** The hardened main window: isolated, sandboxed, no Node, no navigation away, no pop-ups. */
export function createMainWindow(where: RendererLocation, devTools: boolean): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'ClickPulse Workbench',
    webPreferences: {
      ...webPreferences,
      // Restated literally (same values as security.ts) so electronegativity's static checks, which cannot
      // follow a spread, see isolation and the sandbox at the call site; `npm run security` fails without them.
      contextIsolation: true,
      sandbox: true,
      // Off in packaged builds: no DevTools window, and its shortcuts do nothing.
      devTools,
      preload: join(__dirname, '../preload/index.cjs'),
    },
  });
  window.once('ready-to-show', () => window.show());

  const contents = window.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url, where)) return;
    event.preventDefault();
    if (isExternalLink(url)) void shell.openExternal(url);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());

  void window.loadURL(where.devUrl ?? where.appUrl);
  return window;
}
