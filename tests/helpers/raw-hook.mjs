// Loads Vite's `?raw` imports (the lake's SQL files) as text when TypeScript sources run under tsx outside
// Vite (benchmarks): `tsx --import ./tests/helpers/raw-hook.mjs …`. Same rule as the pipeline worker's hook.
import { register } from 'node:module';

const hook = `export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('?raw')) return next(url, context);
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(new URL(url.slice(0, -4)), 'utf8');
  return { format: 'module', source: 'export default ' + JSON.stringify(text) + ';', shortCircuit: true };
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
