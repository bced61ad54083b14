import { describe, expect, it } from 'vitest';
import { menuTemplate, type MenuItemSpec } from '../../main/menu-template';
import {
  CONTENT_SECURITY_POLICY,
  devToolsAllowed,
  isAppUrl,
  isExternalLink,
  permissionCheck,
  permissionRequest,
  webPreferences,
} from '../../main/security';

const where = { appUrl: 'app://clickpulse/index.html' };

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
    expect(isAppUrl(`${where.appUrl}#/lake`, where)).toBe(true);
    expect(isAppUrl('app://clickpulse/', where)).toBe(true);
    expect(isAppUrl('file:///opt/ClickPulse/resources/app.asar/out/renderer/index.html', where)).toBe(false);
    expect(isAppUrl('app://clickpulse/assets/other.html', where)).toBe(false);
    expect(isAppUrl('app://elsewhere/index.html', where)).toBe(false);
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

  it('denies every permission check and request', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'hid',
      'openExternal',
    ]) {
      expect(permissionCheck()).toBe(false);
      const answers: boolean[] = [];
      permissionRequest(null, permission, (granted) => answers.push(granted));
      expect(answers, permission).toEqual([false]);
    }
  });

  it('offers DevTools only in development builds: menu and shortcuts', () => {
    const roles = (items: MenuItemSpec[]): string[] =>
      items.flatMap((i) => [i.role ?? '', ...roles(i.submenu ?? [])]).filter(Boolean);
    expect(devToolsAllowed(true)).toBe(false);
    expect(devToolsAllowed(false)).toBe(true);
    for (const isMac of [false, true]) {
      const packaged = roles(menuTemplate({ isMac, devTools: false }));
      // viewMenu is Electron's stock View menu: it carries Toggle DevTools (Ctrl+Shift+I) and Reload.
      expect(packaged).not.toContain('viewMenu');
      expect(packaged).not.toContain('toggleDevTools');
      expect(packaged.filter((r) => /reload/i.test(r))).toEqual([]);
      expect(roles(menuTemplate({ isMac, devTools: true }))).toContain('viewMenu');
    }
  });

  it('has a strict content security policy', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self';");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/);
  });
});
