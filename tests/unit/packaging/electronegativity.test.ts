import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOW_LIST, judge, readReport, type Finding } from '../../../scripts/security/findings';
import { scanFolder } from '../../../scripts/security/scan';
import { run } from '../../helpers/exec';
import { tempDir } from '../../helpers/temp';
import { projectRoot } from './builder';

const script = join(projectRoot, 'scripts/electronegativity.ts');
const tsx = join(projectRoot, 'node_modules/tsx/dist/cli.mjs');

/** A small Electron app with the classic mistakes, so the gate has something to bite on. */
async function insecureApp(dir: string): Promise<void> {
  await mkdir(join(dir, 'main'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ devDependencies: { electron: '45.4.1' } }));
  await writeFile(
    join(dir, 'main', 'window.js'),
    [
      "const { BrowserWindow } = require('electron');",
      'const window = new BrowserWindow({',
      '  webPreferences: { contextIsolation: false, nodeIntegration: true },',
      '});',
      "window.loadURL('https://example.com');",
      '',
    ].join('\n'),
  );
}

describe('electronegativity gate (npm run security)', () => {
  let fixture: Awaited<ReturnType<typeof tempDir>>;
  let findings: Finding[];
  beforeAll(async () => {
    fixture = await tempDir('clickpulse-insecure-app-');
    await insecureApp(fixture.path);
    const report = await scanFolder(fixture.path);
    expect(report.unparsed).toEqual([]);
    findings = report.findings;
  });
  afterAll(async () => {
    await fixture.remove();
  });

  it('reads real findings with their severity, file and line', () => {
    expect(findings).toContainEqual(
      expect.objectContaining({
        check: 'CONTEXT_ISOLATION_JS_CHECK',
        severity: 'HIGH',
        file: 'main/window.js',
      }),
    );
    expect(findings.every((f) => /^\d+:\d+$/.test(f.location))).toBe(true);
  });

  it('blocks high findings unless an allowance with a reason covers them, and flags stale allowances', () => {
    const strict = judge(findings, ALLOW_LIST);
    expect(strict.blocking.map((f) => f.check)).toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(strict.advisory.every((f) => f.severity !== 'HIGH')).toBe(true);

    const reason = 'fixture: isolation is off on purpose';
    const allowed = judge(findings, [
      { check: 'CONTEXT_ISOLATION_JS_CHECK', file: 'main/window.js', reason },
      { check: 'CONTEXT_ISOLATION_JS_CHECK', file: 'main/gone.js', reason: 'file was deleted' },
    ]);
    expect(allowed.blocking.map((f) => f.check)).not.toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(allowed.allowed.map((a) => a.allowance.reason)).toContain(reason);
    expect(allowed.stale.map((a) => a.file)).toEqual(['main/gone.js']);
  });

  it('exits 1 and names each blocking finding with its place', async () => {
    const result = await run(process.execPath, [tsx, script, '--input', fixture.path], {
      timeoutMs: 120_000,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/BLOCKING: HIGH CONTEXT_ISOLATION_JS_CHECK at main\/window\.js:\d+:\d+/);
    expect(result.stderr).toContain('ALLOW_LIST');
  });

  it('fails when a file cannot be parsed, since nothing in it was checked', async () => {
    const broken = await tempDir('clickpulse-unparsable-app-');
    try {
      await mkdir(join(broken.path, 'main'), { recursive: true });
      await writeFile(join(broken.path, 'package.json'), '{}');
      await writeFile(join(broken.path, 'main', 'broken.ts'), 'const = ;\n');
      const result = await run(process.execPath, [tsx, script, '--input', broken.path], {
        timeoutMs: 120_000,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /UNSCANNED main\/broken\.ts: electronegativity could not parse it: Unexpected token/,
      );
    } finally {
      await broken.remove();
    }
  });

  it('refuses a malformed report or unknown arguments with a specific message', async () => {
    expect(() => readReport('Could not retrieve')).toThrow(/Unreadable electronegativity report/);
    expect(() =>
      readReport(JSON.stringify({ findings: [{ check: 'X', severity: 'SEVERE' }], unparsed: [] })),
    ).toThrow(/at findings\.0\.severity/);
    expect(() => readReport(JSON.stringify({ findings: [] }))).toThrow(/at unparsed/);
    const usage = await run(process.execPath, [tsx, script, '--input']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage:');
  });
});
