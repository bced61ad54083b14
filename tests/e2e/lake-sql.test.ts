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
    await page.getByText(/Cancelled after \d+ s/).waitFor();
    await expect(page.getByText('Running…').count()).resolves.toBe(0);
  });

  const chips = () => page.getByRole('list', { name: 'Active sort and filters' }).getByRole('listitem');
  const openLakeTable = async (button: RegExp, heading: string) => {
    await page.getByRole('navigation', { name: 'Layers' }).getByRole('button', { name: button }).click();
    await page.getByRole('heading', { name: heading }).waitFor();
  };

  it('keeps sort and filters with their own table, and shows them as removable chips', async () => {
    await page.goto(`${app.url}#/lake`);
    await openLakeTable(/^events/, 'silver.events');
    await page.getByRole('button', { name: 'Sort by price (now none)' }).click();
    await page.getByRole('button', { name: 'Sort by price (now ascending)' }).click();
    await expect.poll(() => firstCell(page, 'silver.events', 'price'), POLL).toBe('1763.21');
    await expect(chips().allTextContents()).resolves.toEqual(['Sorted by price ▼×']);

    // Bronze has no price: it opens with no sort, no error, and real cells.
    await openLakeTable(/^clickpulse_events/, 'bronze.clickpulse_events');
    await expect
      .poll(() => firstCell(page, 'bronze.clickpulse_events', 'topic'), POLL)
      .toBe('clickpulse_events');
    await expect(chips().count()).resolves.toBe(0);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    await screenshot(page, 'grid-bronze-after-silver-sort');

    // Back on silver.events, its own sort is still there; its chip removes it.
    await openLakeTable(/^events/, 'silver.events');
    await expect.poll(() => firstCell(page, 'silver.events', 'price'), POLL).toBe('1763.21');
    await page.getByRole('button', { name: 'Remove sort by price' }).click();
    await page.getByRole('button', { name: 'Sort by price (now none)' }).waitFor();
    await expect(chips().count()).resolves.toBe(0);
  });

  it('applies two fast filter edits and two fast clears, each in order', async () => {
    await page.goto(`${app.url}#/lake`);
    await openLakeTable(/^events/, 'silver.events');
    const eventType = page.getByRole('textbox', { name: 'Filter event_type' });
    const brand = page.getByRole('textbox', { name: 'Filter brand' });
    // Both edits land within one debounce: the second must not undo the first.
    await eventType.fill('=cart');
    await brand.fill('samsung');
    await expect
      .poll(() => chips().allTextContents(), POLL)
      .toEqual(['event_type = cart×', 'brand contains "samsung"×']);
    await page.getByText(/^\d+ rows \(of 1,000\)$/).waitFor();
    await screenshot(page, 'grid-two-filters-chips');
    await eventType.fill('');
    await brand.fill('');
    await page.getByText('1,000 rows', { exact: true }).waitFor();
    await expect.poll(() => chips().count(), POLL).toBe(0);
    // Re-opening the table shows it as it was left: unfiltered.
    await openLakeTable(/^clickpulse_events/, 'bronze.clickpulse_events');
    await openLakeTable(/^events/, 'silver.events');
    await page.getByText('1,000 rows', { exact: true }).waitFor();
    await expect(chips().count()).resolves.toBe(0);
    await expect(eventType.inputValue()).resolves.toBe('');
  });

  it('marks an invalid filter and does not apply it; no rows says which filters matched nothing', async () => {
    await page.goto(`${app.url}#/lake`);
    await openLakeTable(/^events/, 'silver.events');
    const price = page.getByRole('textbox', { name: 'Filter price' });
    await price.fill('>100');
    await expect.poll(() => chips().allTextContents(), POLL).toEqual(['price > 100×']);
    await price.fill('>abc');
    await expect
      .poll(() => chips().allTextContents(), POLL)
      .toEqual(['Filter on price not applied: "abc" is not a number']);
    await expect(price.getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByText('1,000 rows', { exact: true }).waitFor();
    await screenshot(page, 'grid-invalid-filter');

    await price.fill('>100000');
    await page.getByText('No rows match price > 100000').waitFor();
    await page.getByText('0 rows (of 1,000)').waitFor();
    await screenshot(page, 'grid-no-rows-match');
    await page.getByRole('button', { name: 'Remove filter on price' }).click();
    await page.getByText('1,000 rows', { exact: true }).waitFor();
    await expect(price.inputValue()).resolves.toBe('');
  });

  it('starts each SQL result with no filters, and clears the result and Save on an error', async () => {
    await page.goto(`${app.url}#/sql`);
    const editor = page.getByRole('textbox', { name: 'SQL' });
    await editor.fill('SELECT event_type AS n, count(*) AS c FROM silver.events GROUP BY 1 ORDER BY 1');
    await editor.press('Control+Enter');
    await expect.poll(() => firstCell(page, 'Query result', 'n'), POLL).toBe('cart');
    await page.getByRole('textbox', { name: 'Filter n' }).fill('=view');
    await expect.poll(() => firstCell(page, 'Query result', 'n'), POLL).toBe('view');
    await editor.fill('SELECT 7 AS seven');
    await editor.press('Control+Enter');
    await expect.poll(() => firstCell(page, 'Query result', 'seven'), POLL).toBe('7');
    await expect(chips().count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Save as CSV…' }).isEnabled()).resolves.toBe(true);

    await editor.fill('SELECT prize FROM silver.events');
    await editor.press('Control+Enter');
    await page.locator('pre[role="alert"]').getByText(/prize/).waitFor();
    await expect(page.getByRole('grid', { name: 'Query result' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Save as CSV…' }).isDisabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Save as Parquet…' }).isDisabled()).resolves.toBe(true);
    await screenshot(page, 'sql-error-clears-result');
  });

  it('runs the SQL once: paging and sorting read the same materialized rows', async () => {
    await page.goto(`${app.url}#/sql`);
    const editor = page.getByRole('textbox', { name: 'SQL' });
    // random() gives new values on every run: a re-run for the count or a page would show here.
    await editor.fill('SELECT range AS i, random() AS r FROM range(2000)');
    await editor.press('Control+Enter');
    const firstR = () => firstCell(page, 'Query result', 'r');
    await expect.poll(firstR, POLL).toMatch(/^0\.\d+/);
    const before = await firstR();
    await page.getByRole('button', { name: 'Sort by r (now none)' }).click();
    await expect.poll(firstR, POLL).not.toBe(before);
    await page.getByRole('button', { name: 'Remove sort by r' }).click();
    await expect.poll(firstR, POLL).toBe(before);

    // A query of a few seconds shows its result (it is not run again for the count and the page).
    await editor.fill('SELECT count(*) AS n, sum(hash(range) % 7) AS h FROM range(150000000)');
    await editor.press('Control+Enter');
    await expect.poll(() => firstCell(page, 'Query result', 'n'), POLL).toBe('150000000');
  });

  it('cancels a long query from its first second, saying after how long', async () => {
    await page.goto(`${app.url}#/sql`);
    const editor = page.getByRole('textbox', { name: 'SQL' });
    await editor.fill('SELECT count(*) FROM range(100000000000)');
    await editor.press('Control+Enter');
    await page.getByRole('timer', { name: 'Running' }).getByText('Running… 1 s').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText(/^Cancelled after [12] s$/).waitFor();
    await expect(page.getByRole('grid', { name: 'Query result' }).count()).resolves.toBe(0);
    await screenshot(page, 'sql-cancelled');
    expect(errors).toEqual([]);
  });
});
