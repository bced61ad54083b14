import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, isAppUrl, isExternalLink, webPreferences } from '../../main/security';

const where = { fileUrl: 'file:///opt/ClickPulse/resources/app.asar/out/renderer/index.html' };

describe('desktop shell security policy', () => {
  it('hardens every window', () => {
    expect(webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
  });

  it('recognises only the app page as the app', () => {
    expect(isAppUrl(`${where.fileUrl}#/lake`, where)).toBe(true);
    expect(isAppUrl('file:///etc/passwd', where)).toBe(false);
    expect(isAppUrl('https://example.com/', where)).toBe(false);
    expect(isAppUrl('not a url', where)).toBe(false);
    const dev = { ...where, devUrl: 'http://localhost:5173/' };
    expect(isAppUrl('http://localhost:5173/#/sql', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
  });

  it('sends only web and mail links to the system browser', () => {
    expect(isExternalLink('https://rees46.com')).toBe(true);
    expect(isExternalLink('file:///etc/passwd')).toBe(false);
    expect(isExternalLink('javascript:alert(1)')).toBe(false);
  });

  it('has a strict content security policy', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/);
  });
});
