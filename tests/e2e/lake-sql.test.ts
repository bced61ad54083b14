import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildQueryLake } from '../helpers/query-lake';
import { firstCell, POLL, screenshot, watchErrors } from './browser';
import { useWebApp } from './web-app';

describe('Lake browser and SQL console in Chromium', () => {
  const app = useWebApp(buildQueryLake);
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    page = await app.browser.newPage({ viewport: { width: 1440, height: 900 } });
    errors = watchErrors(page);
  });

  it('browses silver.events: sort, filter and column statistics on the server', async () => {
    await page.goto(`${app.url}#/lake`);
    const tree = page.getByRole('navigation', { name: 'Layers' });
    await tree.getByRole('button', { name: /^events/ }).click();
    await page.getByRole('heading', { name: 'silver.events' }).waitFor();
    await page.getByText('1,000 rows').waitFor();
    await page.getByRole('button', { name: /^Sort by price/ }).click();
    await page.getByRole('button', { name: 'Sort by price (now ascending)' }).click();
    await page.getByRole('button', { name: 'Sort by price (now descending)' }).waitFor();
    await expect.poll(() => firstCell(page, 'silver.events', 'price'), POLL).toBe('1763.21');
    await screenshot(page, 'lake-silver-sorted');

    await page.getByRole('textbox', { name: 'Filter event_type' }).fill('=purchase');
    await page.getByText('10 rows (of 1,000)').waitFor();
    await expect.poll(() => firstCell(page, 'silver.events', 'event_type'), POLL).toBe('purchase');

    await page.getByRole('button', { name: 'Statistics of brand' }).click();
    const panel = page.getByRole('complementary', { name: 'Column brand' });
    await panel.getByText('Distinct (approx.)').waitFor();
    await screenshot(page, 'lake-silver-filtered-stats');
    await page.getByRole('textbox', { name: 'Filter event_type' }).fill('');
    await page.getByText('1,000 rows').waitFor();
    await page.getByRole('button', { name: 'Statistics of brand' }).click();
    await panel.getByText('143 (14.3 %)').waitFor();
  });

  it('runs SQL, shows the result, and shows DuckDB’s message for bad SQL', async () => {
    await page.goto(`${app.url}#/sql`);
    const editor = page.getByRole('textbox', { name: 'SQL' });
    await editor.fill("SELECT sum(price) AS revenue FROM silver.events WHERE event_type = 'purchase'");
    await editor.press('Control+Enter');
    await expect.poll(() => firstCell(page, 'Query result', 'revenue'), POLL).toBe('2387.84');
    await screenshot(page, 'sql-revenue');

    const alertText = () =>
      page
        .locator('pre[role="alert"]')
        .textContent({ timeout: 1000 })
        .catch(() => '');
    await editor.fill('SELECT prize FROM silver.events');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(alertText, POLL).toMatch(/prize/);
    await screenshot(page, 'sql-error');

    await editor.fill("COPY (SELECT 1) TO 'x.csv'");
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(alertText, POLL).toMatch(/Read-only|Permission/);
    // Network errors of refused calls are answers, not page errors.
    expect(errors).toEqual([]);
  });

  it('cancels the query that is running now (not the previous result)', async () => {
    await page.goto(`${app.url}#/sql`);
    const editor = page.getByRole('textbox', { name: 'SQL' });
    await editor.fill('SELECT 7 AS seven');
    await editor.press('Control+Enter');
    await expect.poll(() => firstCell(page, 'Query result', 'seven'), POLL).toBe('7');
    await editor.fill('SELECT count(*) FROM range(1000000000000)');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByText('Running…').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('The query was cancelled.').waitFor();
    await expect(page.getByText('Running…').count()).resolves.toBe(0);
  });
});
