import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts a pipeline worker thread: the built `<name>.js` next to the bundle (or one folder up, or beside
 * app.asar where the installed app unpacks it), else the TypeScript `source` through tsx (tests, dev).
 * `from` is the caller's import.meta.url. Same rules as the broker's worker (broker/host/broker-host.ts).
 */
export function spawnPipelineWorker(name: string, from: string, source: string): Worker {
  const here = dirname(fileURLToPath(from));
  const unpacked = here.replace(/\.asar(?=[\\/]|$)/, '.asar.unpacked');
  const built = [unpacked, join(unpacked, '..'), here, join(here, '..')]
    .map((dir) => join(dir, `${name}.js`))
    .find((p) => existsSync(p));
  if (built) return new Worker(built);
  const entry = join(here, source);
  if (existsSync(entry)) {
    const tsxRoot = dirname(createRequire(from).resolve('tsx/package.json'));
    const tsx = pathToFileURL(join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
    const url = pathToFileURL(entry).href;
    // Vite's `?raw` imports (the lake's SQL files) are bundled as text in builds; from sources a load hook
    // does the same (registered after tsx, so it runs first).
    const raw = `data:text/javascript,${encodeURIComponent(RAW_HOOK)}`;
    const boot = `import(${JSON.stringify(tsx)}).then(async (t) => { t.register(); (await import('node:module')).register(${JSON.stringify(raw)}); return import(${JSON.stringify(url)}); });`;
    return new Worker(boot, { eval: true });
  }
  throw new Error(`The ${name} worker is missing: no ${name}.js near ${here}, nor ${entry}.`);
}

const RAW_HOOK = `export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('?raw')) return next(url, context);
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(new URL(url.slice(0, -4)), 'utf8');
  return { format: 'module', source: 'export default ' + JSON.stringify(text) + ';', shortCircuit: true };
}`;
