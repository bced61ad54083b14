/**
 * electron-builder's own config loading, schema validation and file matching, used by the packaging tests so
 * they judge electron-builder.yml exactly as `npm run dist` would, without downloading Electron.
 * app-builder-lib is electron-builder's engine (installed with it); these are its internal module paths.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Configuration, FileSet } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { FileMatcher } from 'app-builder-lib/out/fileMatcher.js';
import { DebugLogger } from 'builder-util';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function loadBuilderConfig(root = projectRoot): Promise<Configuration> {
  return getConfig(root, join(root, 'electron-builder.yml'), null);
}

/** Throws electron-builder's own "Invalid configuration object" message for anything its schema refuses. */
export function validateBuilderConfig(config: Configuration): Promise<void> {
  return validateConfiguration(config, new DebugLogger(false));
}

type PathFilter = (relativePath: string) => boolean;

/** electron-builder's matcher over paths relative to the project (which is also the app directory here). */
function matcher(root: string, patterns: string[]): PathFilter {
  const filter = new FileMatcher(root, root, (p) => p, patterns).createFilter();
  return (relativePath) => {
    const full = join(root, relativePath);
    return filter(full, statSync(full));
  };
}

/** The `files` patterns that apply to the app directory (plain strings and file sets without a `from`). */
function appFilePatterns(files: Configuration['files']): string[] {
  const entries: (FileSet | string)[] = files == null ? [] : Array.isArray(files) ? files : [files];
  return entries.flatMap((entry) => {
    if (typeof entry === 'string') return [entry];
    if (entry.from != null && entry.from !== '.') return [];
    const filter = entry.filter ?? [];
    return Array.isArray(filter) ? filter : [filter];
  });
}

export function packagedFilter(config: Configuration, root = projectRoot): PathFilter {
  return matcher(root, appFilePatterns(config.files));
}

export function unpackedFilter(config: Configuration, root = projectRoot): PathFilter {
  const patterns = config.asarUnpack == null ? [] : [config.asarUnpack].flat();
  return matcher(root, patterns);
}

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** Node's lookup: the nearest node_modules/<name> from `from` upwards, staying inside the project. */
function findPackage(name: string, from: string, root: string): string | undefined {
  for (let dir = from; dir.startsWith(root); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root) break;
  }
  return undefined;
}

/**
 * The folders of every package the packaged app ships: the production dependencies and theirs, including
 * the optional ones installed for this platform (DuckDB's per-platform binding is one).
 */
export function productionPackages(root = projectRoot): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (manifest: Manifest, from: string, optionalOnly: boolean) => {
    const required = optionalOnly ? {} : (manifest.dependencies ?? {});
    const names = [...Object.keys(required), ...Object.keys(manifest.optionalDependencies ?? {})];
    for (const name of names) {
      const dir = findPackage(name, from, root);
      if (!dir) {
        if (name in required)
          throw new Error(`Production dependency ${name} is not installed (needed by ${manifest.name}).`);
        continue;
      }
      if (found.has(dir)) continue;
      found.set(dir, name);
      visit(readManifest(dir), dir, false);
    }
  };
  visit(readManifest(root), root, false);
  return found;
}

/** Every file under `dir` ending in `suffix`, without descending into nested node_modules. */
export function filesUnder(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...filesUnder(full, suffix));
    } else if (entry.name.endsWith(suffix)) out.push(full);
  }
  return out;
}

/** Native modules the production dependencies bring, as project-relative paths with forward slashes. */
export function productionNativeModules(root = projectRoot): string[] {
  return [...productionPackages(root).keys()]
    .flatMap((dir) => filesUnder(dir, '.node'))
    .map((file) => relative(root, file).split(sep).join('/'))
    .sort();
}

/** Specifiers a built ES module loads: static and dynamic imports and require()s of literals. */
export function importSpecifiers(source: string): string[] {
  const found = new Set<string>();
  const patterns = [
    // `from` as a keyword (after a space, a brace or a line start): not the end of a word or a string such
    // as 'clickpulse.resent-from' or "from" in the built code.
    /(?<=^|[\s}])from\s*["']([^"']+)["']/gm,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
    /createRequire\([^)]*\)\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of source.matchAll(pattern)) if (m[1]) found.add(m[1]);
  return [...found];
}

/** "@scope/name/sub" → "@scope/name"; "name/sub" → "name". */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

export function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || specifier === 'electron';
}

/**
 * A built entry and every file it reaches through relative imports (project-relative), plus the packages it
 * loads by name. What a worker thread needs on disk when it starts outside the archive.
 */
export function moduleClosure(entry: string, root = projectRoot): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    const rel = relative(root, file).split(sep).join('/');
    if (files.has(rel)) return;
    files.add(rel);
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else if (!isBuiltin(spec)) packages.add(packageName(spec));
    }
  };
  visit(resolve(root, entry));
  return { files: [...files].sort(), packages: [...packages].sort() };
}
