import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_SCHEME_PRIVILEGES, appResponse, resolveAppFile } from '../../main/app-protocol';
import { tempDir } from '../helpers/temp';

let dir: { path: string; remove: () => Promise<void> };
let root: string;

beforeAll(async () => {
  dir = await tempDir('clickpulse-app-protocol-');
  root = join(dir.path, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'a b.css'), 'body{}');
  writeFileSync(join(dir.path, 'secret.txt'), 'outside the renderer folder');
  symlinkSync(join(dir.path, 'secret.txt'), join(root, 'assets', 'link.txt'));
  mkdirSync(join(dir.path, 'renderer-evil'));
  writeFileSync(join(dir.path, 'renderer-evil', 'x.js'), 'evil');
});
afterAll(() => dir.remove());

describe('app:// protocol', () => {
  it('serves the renderer folder: index for /, assets by path, encoded names decoded', () => {
    expect(resolveAppFile('app://clickpulse/', root)).toBe(join(root, 'index.html'));
    expect(resolveAppFile('app://clickpulse/index.html#/sql', root)).toBe(join(root, 'index.html'));
    expect(resolveAppFile('app://clickpulse/assets/index-abc.js?v=1', root)).toBe(
      join(root, 'assets', 'index-abc.js'),
    );
    expect(resolveAppFile('app://clickpulse/assets/a%20b.css', root)).toBe(join(root, 'assets', 'a b.css'));
  });

  it('refuses path traversal in every spelling, other hosts, symlinks out, folders and missing files', () => {
    for (const url of [
      'app://clickpulse/../secret.txt',
      'app://clickpulse/%2e%2e/secret.txt',
      'app://clickpulse/assets/%2E%2E/%2E%2E/secret.txt',
      'app://clickpulse/..%2fsecret.txt',
      'app://clickpulse/..%5csecret.txt',
      'app://clickpulse/assets%5c..%5c..%5csecret.txt',
      'app://clickpulse/index.html%00.js',
      'app://clickpulse/%E0%A4%A',
      'app://clickpulse/../renderer-evil/x.js',
      'app://clickpulse//etc/passwd',
      'app://clickpulse/assets/link.txt',
      'app://clickpulse/assets',
      'app://clickpulse/missing.js',
      'app://other/index.html',
      'file:///etc/passwd',
      'not a url',
    ]) {
      expect(resolveAppFile(url, root), url).toBeNull();
    }
  });

  it('answers with the file, its type, the CSP and nosniff, or a plain 404', async () => {
    const ok = await appResponse('app://clickpulse/assets/index-abc.js', root, "default-src 'self'");
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(ok.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await ok.text()).toBe('console.log(1)');
    const refused = await appResponse('app://clickpulse/%2e%2e/secret.txt', root, "default-src 'self'");
    expect(refused.status).toBe(404);
    expect(await refused.text()).toBe('Not found');
  });

  it('is a standard, secure scheme and nothing more (no CSP bypass, no service workers)', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({
      scheme: 'app',
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    });
  });
});
