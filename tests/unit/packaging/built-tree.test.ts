import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { startWorker } from '../../helpers/children';
import type { Configuration } from 'app-builder-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp';
import {
  filesUnder,
  importSpecifiers,
  isBuiltin,
  loadBuilderConfig,
  moduleClosure,
  packageName,
  packagedFilter,
  productionPackages,
  projectRoot,
  unpackedFilter,
} from './builder';

// The built tree is what electron-builder packs: `npm test` builds before running these.
const ENTRIES = [
  'out/main/index.js',
  'out/main/workbench-host.js',
  'out/main/broker-worker.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
];

interface Manifest {
  main: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as Manifest;

function built(dir: string): string[] {
  return ['.js', '.cjs', '.html', '.css', '.svg', '.map']
    .flatMap((ext) => filesUnder(join(projectRoot, dir), ext))
    .map((f) =>
      f
        .slice(projectRoot.length + 1)
        .split('\\')
        .join('/'),
    );
}

describe('the built out/ tree in the installers', () => {
  let config: Configuration;
  beforeAll(async () => {
    const missing = ENTRIES.filter((e) => !existsSync(join(projectRoot, e)));
    if (missing.length > 0) throw new Error(`Run \`npm run build\` first: ${missing.join(', ')} missing.`);
    config = await loadBuilderConfig();
  });

  it('packs the main, broker worker, preload and renderer entries, and the entry package.json names', () => {
    const packaged = packagedFilter(config);
    expect(ENTRIES.filter((e) => !packaged(e))).toEqual([]);
    expect(packaged('package.json')).toBe(true);
    expect(manifest.main).toBe('out/main/index.js');
  });

  it('packs every built file of the desktop app, and no source maps', () => {
    const packaged = packagedFilter(config);
    const files = [...built('out/main'), ...built('out/preload'), ...built('out/renderer')];
    expect(files.filter((f) => !f.endsWith('.map') && !packaged(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map') && packaged(f))).toEqual([]);
  });

  it('would report the entries missing if `files` left out/main out', () => {
    const careless = packagedFilter({
      ...config,
      files: ['out/preload/**', 'out/renderer/**', 'package.json'],
    });
    expect(ENTRIES.filter((e) => !careless(e))).toEqual([
      'out/main/index.js',
      'out/main/workbench-host.js',
      'out/main/broker-worker.js',
    ]);
  });

  it('puts the broker worker and everything it loads outside the archive', () => {
    const unpacked = unpackedFilter(config);
    const closure = moduleClosure('out/main/broker-worker.js');
    expect(closure.files.length).toBeGreaterThan(1);
    expect(closure.files.filter((f) => !unpacked(f))).toEqual([]);
    const seen = new Set<string>();
    const packages = [...closure.packages];
    while (packages.length > 0) {
      const name = packages.pop() ?? '';
      if (seen.has(name)) continue;
      seen.add(name);
      const dir = `node_modules/${name}`;
      expect(existsSync(join(projectRoot, dir, 'package.json')), `${name} is installed`).toBe(true);
      expect(unpacked(`${dir}/package.json`), `${name} is unpacked for the worker`).toBe(true);
      const own = JSON.parse(readFileSync(join(projectRoot, dir, 'package.json'), 'utf8')) as Manifest;
      packages.push(...Object.keys(own.dependencies ?? {}));
    }
    expect([...seen]).toContain('@node-rs/crc32');
  });

  it('loads from node_modules only production dependencies, which are the ones electron-builder ships', () => {
    const files = [...built('out/main'), ...built('out/preload')].filter((f) => /\.c?js$/.test(f));
    const loaded = new Set(
      files.flatMap((f) =>
        importSpecifiers(readFileSync(join(projectRoot, f), 'utf8'))
          .filter((s) => !s.startsWith('.') && !isBuiltin(s))
          .map(packageName),
      ),
    );
    const shipped = Object.keys(manifest.dependencies ?? {});
    expect([...loaded].filter((name) => !shipped.includes(name))).toEqual([]);
    expect(loaded.has('@duckdb/node-api')).toBe(true);
  });

  it('bundles everything into the sandboxed preload, which can require nothing but electron', () => {
    const source = readFileSync(join(projectRoot, 'out/preload/index.cjs'), 'utf8');
    expect(importSpecifiers(source).filter((s) => s !== 'electron')).toEqual([]);
  });

  it('starts the broker worker from the unpacked files alone, as the installed app does', async () => {
    const unpacked = unpackedFilter(config);
    const candidates = [
      'package.json',
      ...built('out/main'),
      ...[...productionPackages().keys()]
        // DuckDB is the main thread's (68 MB); the worker never loads it.
        .filter((dir) => !dir.includes(`${join('node_modules', '@duckdb')}`))
        .flatMap((dir) => filesUnder(dir, ''))
        .map((f) =>
          f
            .slice(projectRoot.length + 1)
            .split('\\')
            .join('/'),
        ),
    ];
    const layout = await tempDir('clickpulse-unpacked-');
    const root = join(layout.path, 'resources', 'app.asar.unpacked');
    try {
      for (const file of candidates.filter((f) => unpacked(f))) {
        await mkdir(dirname(join(root, file)), { recursive: true });
        await copyFile(join(projectRoot, file), join(root, file));
      }
      const worker = startWorker(join(root, 'out/main/broker-worker.js'));
      try {
        const reply = await new Promise((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.postMessage({ id: 1, op: 'overview' });
        });
        expect(reply).toEqual({ type: 'reply', id: 1, ok: true, value: null });
      } finally {
        await worker.terminate();
      }
    } finally {
      await layout.remove();
    }
  });
});
