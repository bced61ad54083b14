import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../main/security';
import { contentSecurityPolicy } from '../../../pipeline/web/server';
import { filesUnder, projectRoot } from './builder';

/**
 * Sources the app may load from: itself, inline data, and (browser mode) its own loopback bridge on its one
 * port: a wildcard port would let the page reach any local WebSocket server.
 */
const LOCAL_SOURCE = /^('self'|'none'|data:|blob:|ws:\/\/(127\.0\.0\.1|localhost):\d+)$/;

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name ?? '', sources]),
  );
}

/** Every source a policy allows that is not local, plus any unsafe keyword; empty means strict. */
function remoteOrUnsafe(policy: string): string[] {
  const parsed = directives(policy);
  const problems = [...parsed.entries()].flatMap(([name, sources]) =>
    sources.filter((s) => !LOCAL_SOURCE.test(s)).map((s) => `${name} ${s}`),
  );
  for (const required of ['default-src', 'script-src', 'object-src', 'base-uri']) {
    if (!parsed.has(required)) problems.push(`missing ${required}`);
  }
  if (parsed.get('script-src')?.join(' ') !== "'self'") problems.push("script-src is not just 'self'");
  if (parsed.get('object-src')?.join(' ') !== "'none'") problems.push("object-src is not 'none'");
  return problems;
}

function metaPolicy(html: string): string {
  const match = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('The page has no Content-Security-Policy meta tag.');
  return match[1];
}

const pages = ['renderer/index.html', 'out/renderer/index.html'].filter((p) =>
  existsSync(join(projectRoot, p)),
);

describe('no remote code or content', () => {
  it('checks the source page and, once built, the packaged one', () => {
    expect(pages).toContain('renderer/index.html');
  });

  it('every policy the app sets allows only its own origin and loopback bridge, with no unsafe keyword', () => {
    expect(remoteOrUnsafe(CONTENT_SECURITY_POLICY)).toEqual([]);
    expect(remoteOrUnsafe(contentSecurityPolicy(43210))).toEqual([]);
    for (const page of pages) {
      expect(remoteOrUnsafe(metaPolicy(readFileSync(join(projectRoot, page), 'utf8'))), page).toEqual([]);
    }
  });

  it("the page's own policy connects only to 'self' (in browser mode the bridge's origin)", () => {
    for (const page of pages) {
      const policy = directives(metaPolicy(readFileSync(join(projectRoot, page), 'utf8')));
      expect(policy.get('connect-src'), page).toEqual(["'self'"]);
    }
    expect(directives(CONTENT_SECURITY_POLICY).get('connect-src')).toEqual(["'self'"]);
    expect(
      remoteOrUnsafe(
        "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; connect-src ws://127.0.0.1:*",
      ),
    ).toEqual(['connect-src ws://127.0.0.1:*']);
  });

  it('would flag a policy that lets in a CDN script or eval', () => {
    expect(
      remoteOrUnsafe("default-src 'self'; script-src 'self' https://cdn.example; object-src 'none'"),
    ).toEqual(['script-src https://cdn.example', 'missing base-uri', "script-src is not just 'self'"]);
    expect(remoteOrUnsafe(`${CONTENT_SECURITY_POLICY}; style-src 'unsafe-eval'`)).toContain(
      "style-src 'unsafe-eval'",
    );
  });

  it('the page loads its scripts, styles and icon from the app itself', () => {
    for (const page of pages) {
      const html = readFileSync(join(projectRoot, page), 'utf8');
      const references = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
      expect(references.length, page).toBeGreaterThan(0);
      expect(
        references.filter((r) => /^([a-z][a-z0-9+.-]*:|\/\/)/i.test(r)),
        page,
      ).toEqual([]);
    }
  });

  it('the built styles import nothing and fetch no remote fonts or images', () => {
    const assets = join(projectRoot, 'out/renderer/assets');
    if (!existsSync(assets)) return;
    for (const file of filesUnder(assets, '.css')) {
      const css = readFileSync(file, 'utf8');
      expect(css, file).not.toMatch(/@import/);
      expect(css, file).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
    }
  });
});
