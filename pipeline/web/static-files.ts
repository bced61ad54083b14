import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Resolves a URL path inside root (never outside it) and reads the file; null when there is none. */
export async function readStatic(
  root: string,
  urlPath: string,
): Promise<{ body: Buffer; type: string } | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const rootDir = resolve(root);
  const target = resolve(rootDir, `.${decoded === '/' ? '/index.html' : decoded}`);
  if (target !== rootDir && !target.startsWith(rootDir + sep)) return null;
  try {
    if (!(await stat(target)).isFile()) return null;
    return { body: await readFile(target), type: TYPES[extname(target)] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}
