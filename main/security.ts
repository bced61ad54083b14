/**
 * Pure security policy of the desktop shell (no electron import, so Node tests cover it).
 */

export interface RendererLocation {
  /** In production: file URL of out/renderer/index.html. */
  fileUrl: string;
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
  const own = new URL(where.fileUrl);
  if (parsed.protocol === 'file:' && parsed.pathname === own.pathname) return true;
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

/** The policy the app's own responses carry; mirrors renderer/index.html's meta tag. */
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
