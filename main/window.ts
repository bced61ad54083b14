import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, shell } from 'electron';
import { isAppUrl, isExternalLink, webPreferences, type RendererLocation } from './security';

export function rendererLocation(): RendererLocation {
  return {
    fileUrl: pathToFileURL(join(__dirname, '../renderer/index.html')).href,
    devUrl: process.env.ELECTRON_RENDERER_URL,
  };
}

/** The hardened main window: isolated, sandboxed, no Node, no navigation away, no pop-ups. */
export function createMainWindow(where: RendererLocation): BrowserWindow {
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

  if (where.devUrl) void window.loadURL(where.devUrl);
  else void window.loadURL(where.fileUrl);
  return window;
}
