import { describe, expect, it } from 'vitest';
import { firstCell, POLL, screenshot, testIdText, watchErrors } from './browser';
import { typeSql } from './sql-editor';
import { useWebApp } from './web-app';

// The analyst's whole path on a fresh, empty lake: sample → replay at max speed with the lake consumer →
// the monitor sees every event arrive → Silver in the Lake browser → the dashboard funnel → SQL revenue.
describe('From the sample to the dashboards, through the real broker and lake', () => {
  const app = useWebApp();

  it('replays the sample into the lake and every screen shows its figures', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1440, height: 1100 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}#/replay`);
    await page.getByRole('button', { name: 'Use sample' }).click();
    await page.getByText('REES46 multi-category behaviour data').waitFor();
    await page.getByLabel('Speed').selectOption('max');
    await page.getByRole('button', { name: 'Start replay' }).click();

    await page.waitForURL(/#\/monitor$/);
    await expect.poll(testIdText(page, 'replay-state'), POLL).toBe('Completed');
    expect(await testIdText(page, 'rows-sent')()).toBe('1,000');
    await expect.poll(testIdText(page, 'bronze-rows'), POLL).toBe('1,000');
    await expect.poll(testIdText(page, 'silver-rows'), POLL).toBe('1,000');
    await screenshot(page, 'flow-monitor');

    await page.goto(`${app.url}#/lake`);
    const tree = page.getByRole('navigation', { name: 'Layers' });
    await expect
      .poll(async () => {
        await page.reload();
        await tree.waitFor();
        return tree.getByRole('button', { name: /^events/ }).count();
      }, POLL)
      .toBe(1);
    await tree.getByRole('button', { name: /^events/ }).click();
    await page.getByText('1,000 rows').waitFor();
    await page.getByRole('button', { name: /^Sort by price/ }).click();
    await page.getByRole('button', { name: 'Sort by price (now ascending)' }).click();
    await expect.poll(() => firstCell(page, 'silver.events', 'price'), POLL).toBe('1763.21');
    await screenshot(page, 'flow-lake');

    await page.goto(`${app.url}#/dashboards`);
    const funnel = page.getByRole('region', { name: 'Conversion funnel (sessions)' }).locator('.chart');
    await expect.poll(() => funnel.getAttribute('aria-label'), POLL).toMatch(/Viewed.*Carted.*Purchased/s);
    const views = page.getByRole('group', { name: 'Views', exact: true }).locator('.kpi-value');
    await expect.poll(() => views.textContent(), POLL).toBe('987');
    await screenshot(page, 'flow-dashboards');

    await page.goto(`${app.url}#/sql`);
    const editor = page.getByRole('textbox', { name: 'SQL' });
    await typeSql(page, "SELECT sum(price) AS revenue FROM silver.events WHERE event_type = 'purchase'");
    await editor.press('Control+Enter');
    await expect.poll(() => firstCell(page, 'Query result', 'revenue'), POLL).toBe('2387.84');
    expect(errors).toEqual([]);
  });
});
