/**
 * Pure security policy of the desktop shell (no electron import, so Node tests cover it).
 */
import { APP_HOST, APP_SCHEME } from './app-protocol';

export interface RendererLocation {
  /** In production: app://clickpulse/index.html, served from out/renderer by the app:// handler. */
  appUrl: string;
  /** In development: electron-vite's dev server URL. */
  devUrl?: string | undefined;
}

/** True when a URL is the app's own renderer page (any hash or query), never another file or site. */
export function isAppUrl(url: string, where: RendererLocation): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const own = new URL(where.appUrl);
  if (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    (parsed.pathname === own.pathname || parsed.pathname === '/')
  )
    return true;
  if (where.devUrl) {
    const dev = new URL(where.devUrl);
    return parsed.origin === dev.origin;
  }
  return false;
}

/** Only these schemes leave the app, and only to the system browser. */
export function isExternalLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' || protocol === 'mailto:';
  } catch {
    return false;
  }
}

export const webPreferences = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
} as const;

/** DevTools (the menu item, its shortcuts and webContents.openDevTools) exist only in development builds. */
export function devToolsAllowed(isPackaged: boolean): boolean {
  return !isPackaged;
}

/** Every permission check (notifications, clipboard, media, geolocation, HID, …) is answered "no". */
export function permissionCheck(): boolean {
  return false;
}

/** Every permission request is refused, whatever it asks for. */
export function permissionRequest(
  _contents: unknown,
  _permission: string,
  callback: (granted: boolean) => void,
): void {
  callback(false);
}

/**
 * The policy the app's own responses carry; mirrors renderer/index.html's meta tag. `connect-src 'self'`:
 * the desktop page talks to main over IPC, never a socket; in browser mode 'self' is the bridge's own origin
 * (CSP 3 lets 'self' match ws:// on the same host and port), so no other local port is reachable.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
