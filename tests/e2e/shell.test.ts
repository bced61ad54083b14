import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { screenshot, watchErrors } from './browser';
import { useWebApp } from './web-app';

const SCREENS = ['Replay', 'Monitor', 'Topics', 'Lake', 'SQL', 'Dashboards', 'Export'];

describe('app shell in Chromium through "clickpulse web"', () => {
  const app = useWebApp();

  it('prints a loopback URL with a token', () => {
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+$/);
  });

  it('renders the navigation and every screen, with no console or CSP errors', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = watchErrors(page);
    await page.goto(app.url);
    const nav = page.getByRole('navigation', { name: 'Screens' });
    for (const label of SCREENS) await expect(nav.getByRole('link', { name: label })).toBeTruthy();
    await expect
      .poll(() => page.getByRole('link', { name: 'Replay' }).getAttribute('aria-current'))
      .toBe('page');
    // The status bar shows what the Workbench answered over the WebSocket.
    await page.getByText(`Lake: ${app.lake}`).waitFor();
    await page.getByText('Browser bridge').waitFor();

    for (const label of SCREENS) {
      await nav.getByRole('link', { name: label }).click();
      await page.getByRole('main', { name: label }).waitFor();
      expect(page.url()).toContain(`#/${label.toLowerCase()}`);
      const path = await screenshot(page, `shell-${label.toLowerCase()}`);
      expect(existsSync(path)).toBe(true);
    }
    expect(errors).toEqual([]);
  });

  it('persists the theme choice across reloads', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(app.url);
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe('rgb(22, 24, 29)');
    await screenshot(page, 'shell-dark');
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('system');
    await page.waitForFunction(() => document.documentElement.dataset.theme === undefined);
  });

  it('takes the token out of the address bar and history; the cookie alone serves reloads', async () => {
    const page = await app.browser.newPage();
    await page.goto(`${app.url}#/lake`);
    await page.getByText(`Lake: ${app.lake}`).waitFor();
    expect(page.url()).not.toContain('token');
    expect(page.url()).toMatch(/\/#\/lake$/);
    // The cookie is HttpOnly: the page's scripts cannot read the token either.
    await expect(page.evaluate(() => document.cookie)).resolves.toBe('');
    await page.reload();
    await page.getByRole('main', { name: 'Lake' }).waitFor();
    // The status bar's lake path comes over the WebSocket, so the socket was admitted without ?token=.
    await page.getByText(`Lake: ${app.lake}`).waitFor();
    expect(page.url()).not.toContain('token');
  });

  it('refuses the same URL without the token', async () => {
    const page = await app.browser.newPage();
    const response = await page.goto(app.url.replace(/\?token=.*$/, ''));
    expect(response?.status()).toBe(403);
    await expect.poll(() => page.textContent('body')).toContain('needs the token');
  });
});
