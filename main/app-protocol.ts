import { realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';

/*
 * The renderer is served from app://clickpulse/ instead of file:// (Electron's security checklist, item 18):
 * a file:// page may read any file:// URL, and every file:// page shares one origin. This module has no
 * electron import, so Node tests cover what the protocol handler serves and refuses.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'clickpulse';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** What registerSchemesAsPrivileged gets: a standard, secure origin that fetch() works on; nothing more. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

const inside = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

/**
 * The file under `rootDir` an app:// URL names, or null: another host, a path that leaves the folder
 * (`..`, encoded or not, backslashes, NUL), a symlink pointing out, a folder or a missing file.
 * "/" is index.html.
 */
export function resolveAppFile(url: string, rootDir: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null; // malformed percent-encoding
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  if (path.split('/').some((part) => part === '..')) return null;
  if (path === '/' || path === '') path = '/index.html';
  const root = resolve(rootDir);
  const candidate = resolve(join(root, ...path.split('/').filter(Boolean)));
  if (!inside(root, candidate)) return null;
  try {
    const real = realpathSync(candidate);
    if (!inside(realpathSync(root), real) || !statSync(real).isFile()) return null;
    return real;
  } catch {
    return null;
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** Content type by extension; anything unknown is served as bytes, never sniffed into something runnable. */
export function contentTypeOf(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** The whole app:// handler but the Electron call: the file with its type and the CSP, or a plain 404. */
export async function appResponse(url: string, rootDir: string, csp: string): Promise<Response> {
  const file = resolveAppFile(url, rootDir);
  if (!file) {
    return new Response('Not found', {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  return new Response(await readFile(file), {
    headers: {
      'Content-Type': contentTypeOf(file),
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
