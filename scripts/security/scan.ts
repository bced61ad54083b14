import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readReport, type ScanReport } from './findings';

/**
 * What of the project electronegativity reads: the Electron shell, the preload, the renderer, the pipeline
 * the shell loads, and the manifests it takes the Electron version from. Not out/ (a build of these same
 * sources, stale or absent when `npm test` runs this before building), not node_modules (third-party code;
 * electronegativity skips it anyway, but only after walking all of it), not tests.
 */
export const SCANNED = ['main', 'preload', 'renderer', 'pipeline', 'package.json', 'package-lock.json'];

/**
 * Checked by hand instead: it downloads Electron's release list from GitHub, so its verdict depends on the
 * network and the day. Keeping Electron current is the dependency update's job, not this gate's.
 */
export const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

const here = dirname(fileURLToPath(import.meta.url));

/** Runs electronegativity over one folder (in a child process, offline) and returns its report. */
export async function scanFolder(folder: string): Promise<ScanReport> {
  const work = await mkdtemp(join(tmpdir(), 'clickpulse-electronegativity-'));
  try {
    const report = join(work, 'report.json');
    const offline = pathToFileURL(join(here, 'offline.mjs')).href;
    const child = join(here, 'scanner-child.mjs');
    // LANG picks its message locale; pin it so reports read the same on every machine.
    const result = spawnSync(
      process.execPath,
      ['--import', offline, child, folder, report, EXCLUDED_CHECKS.map((c) => c.toLowerCase()).join(',')],
      { cwd: folder, encoding: 'utf8', env: { ...process.env, LANG: 'en-US' } },
    );
    if (result.status !== 0 || !existsSync(report)) {
      throw new Error(
        `electronegativity failed (exit ${String(result.status)}): ${result.stderr || result.stdout}`.trim(),
      );
    }
    return readReport(await readFile(report, 'utf8'));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Copies the scanned parts of the project to a temp folder that mirrors its layout, and scans that. */
export async function scanProject(root: string): Promise<ScanReport> {
  const staging = await mkdtemp(join(tmpdir(), 'clickpulse-scan-'));
  try {
    for (const entry of SCANNED) {
      if (existsSync(join(root, entry)))
        await cp(join(root, entry), join(staging, entry), { recursive: true });
    }
    return await scanFolder(staging);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
