import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startWorker } from '../../helpers/children';
import { listPackage, statFile } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../helpers/exec';
import { tempDir } from '../../helpers/temp';
import { projectRoot } from '../../unit/packaging/builder';

/**
 * Runs the real electron-builder over the real config and out/ tree, packing the unpacked Linux app
 * (`--dir`). Electron's binary cannot be downloaded here, so `electronDist` points at a placeholder
 * executable carrying Electron's fuse wire (its sentinel and 8 fuses as Electron ships them): electron-builder
 * copies it and flips its fuses as configured, while the archive, the unpacked files, the extra resources
 * and the beforePack hook are all its own work, exactly as in `npm run dist`.
 */
/** @electron/fuses' marker in an Electron binary; the wire follows it: version 1, a length, one byte a fuse. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's own defaults, in FuseV1Options order: RunAsNode on, cookie encryption off, NODE_OPTIONS on, … */
const SHIPPED_FUSES = '10110001';
const FUSE_NAMES = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
];

describe('electron-builder --dir over the built app', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let resources: string;
  let archived: string[];

  beforeAll(async () => {
    if (!existsSync(join(projectRoot, 'out/main/index.js'))) throw new Error('Run `npm run build` first.');
    work = await tempDir('clickpulse-pack-');
    const electronDist = join(work.path, 'electron-dist');
    await mkdir(electronDist);
    await writeFile(
      join(electronDist, 'electron'),
      `#!/bin/sh\nexit 0\n# ${FUSE_SENTINEL}\x01\x08${SHIPPED_FUSES}\n`,
    );
    await chmod(join(electronDist, 'electron'), 0o755);
    const cli = join(projectRoot, 'node_modules/electron-builder/cli.js');
    const result = await run(
      process.execPath,
      [
        cli,
        '--linux',
        'dir',
        '--x64',
        '--config',
        join(projectRoot, 'electron-builder.yml'),
        '--projectDir',
        projectRoot,
        `-c.electronDist=${electronDist}`,
        `-c.directories.output=${join(work.path, 'dist')}`,
        '--publish',
        'never',
      ],
      { timeoutMs: 240_000, env: { CI: 'true' } },
    );
    if (result.code !== 0) throw new Error(`electron-builder failed:\n${result.stdout}\n${result.stderr}`);
    resources = join(work.path, 'dist', 'linux-unpacked', 'resources');
    archived = listPackage(join(resources, 'app.asar'), { isPack: false }).map((f) =>
      f.replace(/\\/g, '/').replace(/^\//, ''),
    );
  }, 300_000);
  afterAll(async () => {
    await work?.remove();
  });

  it('archives the main, preload and renderer builds with the manifest, and no source maps', () => {
    for (const file of [
      'package.json',
      'out/main/index.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
    ]) {
      expect(archived, file).toContain(file);
    }
    expect(archived.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(archived.filter((f) => /^(main|preload|renderer|pipeline|tests|scripts)\//.test(f))).toEqual([]);
  });

  it('flips the fuses in the packed Electron binary as electron-builder.yml says', () => {
    const binary = readFileSync(join(resources, '..', 'clickpulse-workbench'));
    const at = binary.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
    const wire = binary.subarray(at + 2, at + 2 + (binary[at + 1] ?? 0)).toString('latin1');
    const fuses = Object.fromEntries(FUSE_NAMES.map((name, i) => [name, wire[i] === '1']));
    expect(fuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('ships production dependencies only', () => {
    const packages = new Set(
      archived.map((f) => /^node_modules\/((@[^/]+\/)?[^/]+)/.exec(f)?.[1]).filter(Boolean),
    );
    for (const name of ['kafkajs', 'zod', 'apache-arrow', '@duckdb/node-api'])
      expect(packages).toContain(name);
    for (const name of ['electron', 'react', 'vite', 'vitest', 'electron-builder', 'typescript', 'tsx']) {
      expect(packages.has(name), name).toBe(false);
    }
  });

  it('puts every native module, and the broker worker with what it loads, outside the archive', () => {
    const archive = join(resources, 'app.asar');
    const natives = archived.filter((f) => f.endsWith('.node'));
    expect(natives.some((f) => f.endsWith('/duckdb.node'))).toBe(true);
    const mustBeOutside = [
      ...natives,
      'out/main/broker-worker.js',
      ...archived.filter((f) => f.startsWith('out/main/chunks/') && f.endsWith('.js')),
      'node_modules/@node-rs/crc32/index.js',
      'node_modules/@node-rs/crc32-linux-x64-gnu/package.json',
    ];
    for (const file of mustBeOutside) {
      const entry = statFile(archive, file) as { unpacked?: boolean };
      expect(entry.unpacked, file).toBe(true);
      expect(existsSync(join(resources, 'app.asar.unpacked', file)), file).toBe(true);
    }
  });

  it('copies the sample dataset and icons to resources/resources', () => {
    for (const file of ['rees46-2019-oct-head1000.csv', 'icon.png', 'icon.svg']) {
      expect(readFileSync(join(resources, 'resources', file)).length, file).toBeGreaterThan(0);
    }
  });

  it('starts the broker worker from the packed app', async () => {
    const worker = startWorker(join(resources, 'app.asar.unpacked', 'out', 'main', 'broker-worker.js'));
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
  });
});
