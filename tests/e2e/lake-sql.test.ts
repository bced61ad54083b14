import { DuckDBInstance } from '@duckdb/node-api';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildQueryLake } from '../helpers/query-lake';
import { firstCell, POLL, screenshot, watchErrors } from './browser';
import { typeSql } from './sql-editor';
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
    // The panel follows the filters: ten purchases, top values among them only.
    const top = panel.getByRole('table', { name: 'Top values of brand' });
    await expect.poll(() => top.getByRole('row').count(), POLL).toBeLessThanOrEqual(10);
    await page.getByRole('textbox', { name: 'Filter event_type' }).fill('');
    await page.getByText('1,000 rows').waitFor();
    await panel.getByText('143 (14.3 %)').waitFor();
    await expect.poll(() => top.getByRole('row').count(), POLL).toBe(10);
    await top.getByRole('row', { name: /^null 143$/ }).waitFor();
    await page.getByRole('button', { name: 'Statistics of price' }).click();
    const pricePanel = page.getByRole('complementary', { name: 'Column price' });
    await expect
      .poll(
        () => pricePanel.getByRole('list', { name: 'Histogram of price' }).getByRole('listitem').count(),
        POLL,
      )
      .toBe(20);
    await screenshot(page, 'lake-price-histogram');
    await page.keyboard.press('Escape');
    await expect.poll(() => pricePanel.count(), POLL).toBe(0);
  });

  it('runs SQL, shows the result, and shows DuckDB’s message for bad SQL', async () => {
    await page.goto(`${app.url}#/sql`);
    const editor = page.getByRole('textbox', { name: 'SQL' });
    await typeSql(page, "SELECT sum(price) AS revenue FROM silver.events WHERE event_type = 'purchase'");
    await editor.press('Control+Enter');
    await expect.poll(() => firstCell(page, 'Query result', 'revenue'), POLL).toBe('2387.84');
    await screenshot(page, 'sql-revenue');

    const alertText = () =>
      page
        .locator('pre[role="alert"]')
        .textContent({ timeout: 1000 })
        .catch(() => '');
    await typeSql(page, 'SELECT prize FROM silver.events');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(alertText, POLL).toMatch(/prize/);
    await screenshot(page, 'sql-error');

    await typeSql(page, "COPY (SELECT 1) TO 'x.csv'");
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(alertText, POLL).toMatch(/Read-only|Permission/);
    // Network errors of refused calls are answers, not page errors.
    expect(errors).toEqual([]);
  });

  it('cancels the query that is running now (not the previous result)', async () => {
    await page.goto(`${app.url}#/sql`);
    const editor = page.getByRole('textbox', { name: 'SQL' });
    await typeSql(page, 'SELECT 7 AS seven');
    await editor.press('Control+Enter');
    await expect.poll(() => firstCell(page, 'Query result', 'seven'), POLL).toBe('7');
    await typeSql(page, 'SELECT count(*) FROM range(1000000000000)');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByText('Running…').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText(/Cancelled after \d+ s/).waitFor();
    await expect.poll(() => page.getByText('Running…').count()).toBe(0);
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
    await expect.poll(() => chips().count()).toBe(0);
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    // Bronze's JSON value, whole and as a tree, in the side inspector (a double-click opens it).
    const bronze = page.getByRole('grid', { name: 'bronze.clickpulse_events' });
    const headers = await bronze.getByRole('columnheader').allTextContents();
    const valueColumn = headers.findIndex((h) => h.startsWith('value'));
    await bronze
      .locator('[role="row"][aria-rowindex="2"] [role="gridcell"]')
      .nth(valueColumn - 1)
      .dblclick();
    const tree = page
      .getByRole('complementary', { name: 'Cell inspector' })
      .getByRole('tree', { name: 'JSON of value' });
    await tree.getByRole('treeitem', { name: 'event_type' }).getByText('"view"').waitFor();
    await screenshot(page, 'grid-bronze-after-silver-sort');
    await page.keyboard.press('Escape');
    await expect.poll(() => tree.count(), POLL).toBe(0);

    // Back on silver.events, its own sort is still there; its chip removes it.
    await openLakeTable(/^events/, 'silver.events');
    await expect.poll(() => firstCell(page, 'silver.events', 'price'), POLL).toBe('1763.21');
    await page.getByRole('button', { name: 'Remove sort by price' }).click();
    await page.getByRole('button', { name: 'Sort by price (now none)' }).waitFor();
    await expect.poll(() => chips().count()).toBe(0);
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
    await expect.poll(() => chips().count()).toBe(0);
    await expect.poll(() => eventType.inputValue()).toBe('');
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
    await expect.poll(() => price.getAttribute('aria-invalid')).toBe('true');
    await page.getByText('1,000 rows', { exact: true }).waitFor();
    await screenshot(page, 'grid-invalid-filter');

    await price.fill('>100000');
    await page.getByText('No rows match price > 100000').waitFor();
    await page.getByText('0 rows (of 1,000)').waitFor();
    await screenshot(page, 'grid-no-rows-match');
    await page.getByRole('button', { name: 'Remove filter on price' }).click();
    await page.getByText('1,000 rows', { exact: true }).waitFor();
    await expect.poll(() => price.inputValue()).toBe('');
  });

  it('starts each SQL result with no filters, and clears the result and Save on an error', async () => {
    await page.goto(`${app.url}#/sql`);
    const editor = page.getByRole('textbox', { name: 'SQL' });
    await typeSql(page, 'SELECT event_type AS n, count(*) AS c FROM silver.events GROUP BY 1 ORDER BY 1');
    await editor.press('Control+Enter');
    await expect.poll(() => firstCell(page, 'Query result', 'n'), POLL).toBe('cart');
    await page.getByRole('textbox', { name: 'Filter n' }).fill('=view');
    await expect.poll(() => firstCell(page, 'Query result', 'n'), POLL).toBe('view');
    await typeSql(page, 'SELECT 7 AS seven');
    await editor.press('Control+Enter');
    await expect.poll(() => firstCell(page, 'Query result', 'seven'), POLL).toBe('7');
    await expect.poll(() => chips().count()).toBe(0);
    await expect.poll(() => page.getByRole('button', { name: 'Save as CSV…' }).isEnabled()).toBe(true);

    await typeSql(page, 'SELECT prize FROM silver.events');
    await editor.press('Control+Enter');
    await page.locator('pre[role="alert"]').getByText(/prize/).waitFor();
    await expect.poll(() => page.getByRole('grid', { name: 'Query result' }).count()).toBe(0);
    await expect.poll(() => page.getByRole('button', { name: 'Save as CSV…' }).isDisabled()).toBe(true);
    await expect.poll(() => page.getByRole('button', { name: 'Save as Parquet…' }).isDisabled()).toBe(true);
    await screenshot(page, 'sql-error-clears-result');
  });

  it('runs the SQL once: paging and sorting read the same materialized rows', async () => {
    await page.goto(`${app.url}#/sql`);
    const editor = page.getByRole('textbox', { name: 'SQL' });
    // random() gives new values on every run: a re-run for the count or a page would show here.
    await typeSql(page, 'SELECT range AS i, random() AS r FROM range(2000)');
    await editor.press('Control+Enter');
    const firstR = () => firstCell(page, 'Query result', 'r');
    await expect.poll(firstR, POLL).toMatch(/^0\.\d+/);
    const before = await firstR();
    await page.getByRole('button', { name: 'Sort by r (now none)' }).click();
    await expect.poll(firstR, POLL).not.toBe(before);
    await page.getByRole('button', { name: 'Remove sort by r' }).click();
    await expect.poll(firstR, POLL).toBe(before);

    // A query of a few seconds shows its result (it is not run again for the count and the page).
    await typeSql(page, 'SELECT count(*) AS n, sum(hash(range) % 7) AS h FROM range(20000000)');
    await editor.press('Control+Enter');
    await expect.poll(() => firstCell(page, 'Query result', 'n'), POLL).toBe('20000000');
  });

  it('cancels a long query from its first second, saying after how long', async () => {
    await page.goto(`${app.url}#/sql`);
    const editor = page.getByRole('textbox', { name: 'SQL' });
    await typeSql(page, 'SELECT count(*) FROM range(100000000000)');
    await editor.press('Control+Enter');
    await page.getByRole('timer', { name: 'Running' }).filter({ hasText: 'Running… 1 s' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText(/^Cancelled after [12] s$/).waitFor();
    await expect.poll(() => page.getByRole('grid', { name: 'Query result' }).count()).toBe(0);
    await screenshot(page, 'sql-cancelled');
    expect(errors).toEqual([]);
  });

  it("shows a large result's first rows while it counts the rest, and Cancel then stops it", async () => {
    await page.goto(`${app.url}#/sql`);
    const editor = page.getByRole('textbox', { name: 'SQL' });
    // Minutes to write in full: the first rows must show long before.
    await typeSql(page, 'SELECT range AS i, md5(range::VARCHAR) AS h FROM range(100000000)');
    await editor.press('Control+Enter');
    await page
      .getByRole('status')
      .filter({ hasText: /^First [\d,]+ rows in \d+ ms; counting…$/ })
      .waitFor();
    await expect.poll(() => firstCell(page, 'Query result', 'i'), POLL).toBe('0');
    await screenshot(page, 'sql-first-rows-counting');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText(/^Cancelled after \d+ s$/).waitFor();
    await expect.poll(() => page.getByRole('grid', { name: 'Query result' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  const columnNames = (grid: string) =>
    page.getByRole('grid', { name: grid }).locator('.grid-colname').allTextContents();
  const rowTexts = (grid: string, rows: number) =>
    Promise.all(
      Array.from({ length: rows }, (_, r) =>
        page
          .getByRole('grid', { name: grid })
          .locator(`[role="row"][aria-rowindex="${r + 2}"] [role="gridcell"]`)
          .allTextContents(),
      ),
    );
  const saveFromPicker = async (format: 'CSV' | 'Parquet', name: string) => {
    await page.getByRole('button', { name: `Save as ${format}…` }).click();
    const picker = page.getByRole('dialog', { name: `Save the result as ${format.toUpperCase()}` });
    await picker.getByRole('textbox', { name: 'Folder' }).fill(app.dir);
    await picker.getByRole('button', { name: 'Go' }).click();
    // app.dir holds the lake: once it is listed, Save here saves into it.
    await picker
      .getByRole('list', { name: 'Folder contents' })
      .getByRole('button', { name: /lake$/ })
      .waitFor();
    await picker.getByRole('textbox', { name: 'File name' }).fill(name);
    await picker.getByRole('button', { name: 'Save here' }).click();
    // What the screen says: the saved path, or the error that stopped it.
    const outcome = async () =>
      (
        await page
          .getByRole('status')
          .filter({ hasText: /^Saved / })
          .allTextContents()
      ).join('') || (await page.getByRole('alert').allTextContents()).join(' ');
    await expect.poll(outcome, POLL).toBe(`Saved ${join(app.dir, name)}`);
    return join(app.dir, name);
  };

  /** Reads files with DuckDB in the test's own process (the saved files, the lake's Parquet). */
  const lakeRows = async (sql: string) => {
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    try {
      return (await db.runAndReadAll(sql)).getRowsJS();
    } finally {
      db.closeSync();
      instance.closeSync();
    }
  };

  it('hides, pins and reorders columns from each header’s menu; copy and save follow what is shown', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    await page.goto(`${app.url}#/lake`);
    await openLakeTable(/^events/, 'silver.events');
    const grid = page.getByRole('grid', { name: 'silver.events' });
    await expect.poll(() => firstCell(page, 'silver.events', 'price'), POLL).not.toBe('');
    const all = await columnNames('silver.events');
    expect(all.slice(0, 2)).toEqual(['event_time', 'event_type']);

    await page.getByRole('button', { name: 'Column menu of brand' }).click();
    await page
      .getByRole('menu', { name: 'Column brand' })
      .getByRole('menuitem', { name: 'Hide column' })
      .click();
    // By keyboard: the menu opens on its first item, arrows move, Enter picks.
    await page.getByRole('button', { name: 'Column menu of price' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Hide column');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    // Escape closes a menu back onto its button.
    await page.keyboard.press('Enter');
    await page.getByRole('menu', { name: 'Column price' }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('menu').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Column menu of price',
    );
    await page.getByRole('button', { name: 'Column menu of event_type' }).click();
    await screenshot(page, 'grid-column-menu');
    await page.getByRole('menuitem', { name: 'Move left' }).click();
    const shown = [
      'price',
      'event_type',
      'event_time',
      ...all.filter((c) => !/^(price|event_type|event_time|brand)$/.test(c)),
    ];
    await expect.poll(() => columnNames('silver.events'), POLL).toEqual(shown);
    await page.getByRole('button', { name: 'Columns (1 hidden)…' }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Column menu of price' }).count()).toBe(1);

    // The pinned column stays in place while the others scroll sideways.
    const x = async (column: string) =>
      (
        await grid
          .getByRole('columnheader')
          .filter({ hasText: new RegExp(`^${column}`) })
          .boundingBox()
      )?.x ?? NaN;
    const [priceX, typeX] = [await x('price'), await x('event_type')];
    await grid.evaluate((el) => el.scrollTo({ left: 200 }));
    await expect.poll(() => x('event_type')).toBeLessThan(typeX - 100);
    expect(await x('price')).toBe(priceX);
    await grid.evaluate((el) => el.scrollTo({ left: 0 }));

    // The layout belongs to the table, like its sort and filters: another table has its own.
    await openLakeTable(/^funnel_daily/, 'gold.funnel_daily');
    await expect.poll(() => columnNames('gold.funnel_daily'), POLL).toContain('views');
    await openLakeTable(/^events/, 'silver.events');
    await expect.poll(() => columnNames('silver.events'), POLL).toEqual(shown);

    await page.getByRole('button', { name: 'Sort by price (now none)' }).click();
    await page.getByRole('button', { name: 'Sort by price (now ascending)' }).click();
    await page.getByRole('textbox', { name: 'Filter event_type' }).fill('=purchase');
    await page.getByText('10 rows (of 1,000)').waitFor();
    const top = await lakeRows(
      `SELECT CAST(price AS VARCHAR) FROM read_parquet('${app.lake}/silver/**/*.parquet')
       WHERE event_type = 'purchase' ORDER BY price DESC NULLS LAST LIMIT 1`,
    );
    await expect.poll(() => firstCell(page, 'silver.events', 'price'), POLL).toBe(top[0]?.[0]);
    await screenshot(page, 'grid-columns-pinned-hidden');

    // Rows 1–3, every shown column: a click on the row number, a shift-click on row 3's last cell.
    await grid.locator('[role="row"][aria-rowindex="2"] [role="rowheader"]').click();
    await grid
      .locator('[role="row"][aria-rowindex="4"] [role="gridcell"]')
      .last()
      .click({ modifiers: ['Shift'] });
    const cells = await rowTexts('silver.events', 3);
    expect(cells.every((row) => row.length === shown.length && row[1] === 'purchase')).toBe(true);
    const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
    await page.keyboard.press('Control+C');
    await page.getByRole('status').filter({ hasText: 'Copied as TSV' }).waitFor();
    expect(await clipboard()).toBe(cells.map((row) => row.join('\t')).join('\n'));
    await page.getByRole('button', { name: 'Copy as CSV' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied as CSV' }).waitFor();
    const csv = (await clipboard()).split('\r\n');
    expect(csv[0]).toBe(shown.join(','));
    expect(csv).toHaveLength(4);
    await page.getByRole('button', { name: 'Copy as Markdown' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied as MARKDOWN' }).waitFor();
    const markdown = (await clipboard()).split('\n');
    expect(markdown[0]).toBe(`| ${shown.join(' | ')} |`);
    expect(markdown[2]).toBe(`| ${cells[0]?.join(' | ')} |`);

    // Saved files hold what is shown: the filtered rows in their sort, the shown columns in their order.
    const csvPath = await saveFromPicker('CSV', 'shown.csv');
    const parquetPath = await saveFromPicker('Parquet', 'shown.parquet');
    {
      const read = lakeRows;
      const expected = await read(
        `SELECT CAST(price AS DOUBLE) FROM read_parquet('${app.lake}/silver/**/*.parquet')
         WHERE event_type = 'purchase' ORDER BY price DESC NULLS LAST`,
      );
      expect(expected).toHaveLength(10);
      for (const file of [`read_csv('${csvPath}')`, `read_parquet('${parquetPath}')`]) {
        const names = await read(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${file})`);
        expect(names.map((r) => r[0])).toEqual(shown);
        expect(await read(`SELECT CAST(price AS DOUBLE) FROM ${file}`)).toEqual(expected);
        expect(await read(`SELECT DISTINCT event_type FROM ${file}`)).toEqual([['purchase']]);
      }
      expect((await read(`SELECT user_id FROM read_csv('${csvPath}', all_varchar = true)`))[0]).toEqual([
        cells[0]?.[shown.indexOf('user_id')],
      ]);
    }

    // Hidden columns come back from the Columns dialog; Reset puts every column back in place.
    await page.getByRole('button', { name: 'Columns (1 hidden)…' }).click();
    await page.getByRole('dialog', { name: 'Columns' }).getByRole('checkbox', { name: 'brand' }).check();
    await expect.poll(() => columnNames('silver.events'), POLL).toContain('brand');
    await page.getByRole('dialog', { name: 'Columns' }).getByRole('button', { name: 'Reset layout' }).click();
    await expect.poll(() => columnNames('silver.events'), POLL).toEqual(all);
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });
  it('gives a SQL result the same column menu, and saves only its shown columns', async () => {
    await page.goto(`${app.url}#/sql`);
    await typeSql(page, 'SELECT range AS a, range * 2 AS b, range * 3 AS c FROM range(5)');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => columnNames('Query result'), POLL).toEqual(['a', 'b', 'c']);
    await page.getByRole('button', { name: 'Column menu of b' }).click();
    await page.getByRole('menuitem', { name: 'Hide column' }).click();
    await page.getByRole('button', { name: 'Column menu of c' }).click();
    await page.getByRole('menuitem', { name: 'Pin to the left' }).click();
    await expect.poll(() => columnNames('Query result'), POLL).toEqual(['c', 'a']);
    const saved = await saveFromPicker('CSV', 'result.csv');
    expect((await readFile(saved, 'utf8')).split(/\r?\n/)[0]?.replace(/"/g, '')).toBe('c,a');
    expect(await lakeRows(`SELECT c, a FROM read_csv('${saved}')`)).toEqual(
      [0, 1, 2, 3, 4].map((i) => [BigInt(i * 3), BigInt(i)]),
    );
  });
});

describe('SQL editor, schema, tabs and charts in Chromium', () => {
  const app = useWebApp(buildQueryLake);
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    page = await app.browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    errors = watchErrors(page);
  });

  const editor = () => page.getByRole('textbox', { name: 'SQL' });
  const editorText = () => editor().innerText();

  it('completes silver.events columns from the catalog, and runs the statement under the cursor', async () => {
    await page.goto(`${app.url}#/sql`);
    await typeSql(page, 'SELECT silver.events.pr');
    await editor().press('Control+Space');
    const options = page.locator('.cm-tooltip-autocomplete [role="option"]');
    await expect.poll(() => options.allTextContents(), POLL).toContainEqual(expect.stringContaining('price'));
    await expect(options.allTextContents()).resolves.toContainEqual(expect.stringContaining('product_id'));
    await screenshot(page, 'sql-completion');
    await editor().press('Escape');

    await typeSql(page, 'SELECT 1 AS first;\nSELECT 2 AS second;\nSELECT 3 AS third;');
    await editor().press('Control+Home');
    await editor().press('ArrowDown');
    await editor().press('Control+Enter');
    await expect.poll(() => firstCell(page, 'Query result', 'second'), POLL).toBe('2');
    // Highlighting: keywords are styled spans, not plain text.
    await expect(
      editor()
        .locator('span', { hasText: /^SELECT$/ })
        .count(),
    ).resolves.toBeGreaterThan(0);
  });

  it('inserts names from the schema sidebar at the cursor', async () => {
    await page.goto(`${app.url}#/sql`);
    await typeSql(page, 'SELECT * FROM ');
    await editor().press('End');
    const schema = page.getByRole('navigation', { name: 'Schema' });
    await schema.getByRole('button', { name: 'Insert gold.funnel_daily' }).click();
    await expect.poll(editorText, POLL).toBe('SELECT * FROM gold.funnel_daily');
    await schema.getByRole('button', { name: 'Columns of gold.funnel_daily' }).click();
    await expect(
      schema.getByRole('list', { name: 'Columns of gold.funnel_daily' }).getByText('BIGINT').count(),
    ).resolves.toBeGreaterThan(0);
    await screenshot(page, 'sql-schema-sidebar');
  });

  it('opens a Lake table in SQL, in a new tab that survives a reload', async () => {
    await page.goto(`${app.url}#/lake`);
    await page
      .getByRole('navigation', { name: 'Layers' })
      .getByRole('button', { name: /^funnel_daily/ })
      .click();
    await page.getByRole('heading', { name: 'gold.funnel_daily' }).waitFor();
    await page.getByRole('button', { name: 'Open in SQL' }).click();
    const opened = 'SELECT *\nFROM gold.funnel_daily\nLIMIT 1000';
    await expect.poll(editorTextOf('Query 2'), POLL).toBe(opened);
    await expect
      .poll(() => page.getByRole('tab', { name: 'Query 2' }).getAttribute('aria-selected'))
      .toBe('true');
    // Tabs are kept in the settings store: leaving the console saves them, coming back reads them.
    await expect
      .poll(async () => {
        await page.goto(`${app.url}#/lake`);
        await page.goto(`${app.url}#/sql`);
        await page
          .getByRole('tab', { name: 'Query 2' })
          .click({ timeout: 2000 })
          .catch(() => undefined);
        return editorTextOf('Query 2')();
      }, POLL)
      .toBe(opened);
    // And a reload (as a restart) finds them too.
    await page.reload();
    await page.getByRole('tab', { name: 'Query 2' }).click();
    await expect.poll(editorTextOf('Query 2'), POLL).toBe(opened);
    await page.getByRole('tab', { name: 'Query 1' }).click();
    await page.getByRole('tabpanel', { name: 'Query 1' }).waitFor();
  });

  const editorTextOf = (tab: string) => () =>
    page
      .getByRole('tabpanel', { name: tab })
      .getByRole('textbox', { name: 'SQL' })
      .innerText({ timeout: 1000 })
      .catch(() => '');

  it('charts a result as a line with one point per row, and saves it as PNG', async () => {
    await page.goto(`${app.url}#/sql`);
    await typeSql(
      page,
      "SELECT date_trunc('minute', event_time) AS minute, count(*) AS events FROM silver.events GROUP BY 1 ORDER BY 1",
    );
    await editor().press('Control+Enter');
    const status = await page
      .getByRole('status')
      .filter({ hasText: /rows in/ })
      .textContent();
    const rows = Number(/([\d,]+) rows in/.exec(status ?? '')?.[1]?.replace(/,/g, ''));
    expect(rows).toBeGreaterThan(1);
    await page.getByRole('button', { name: 'Chart', exact: true }).click();
    await expect.poll(() => page.getByRole('combobox', { name: 'Chart type' }).inputValue()).toBe('line');
    await expect.poll(() => page.getByRole('combobox', { name: 'X column' }).inputValue()).toBe('minute');
    await page.getByRole('status', { name: 'Points drawn' }).getByText(`${rows} points`).waitFor();
    await page.getByRole('figure', { name: 'Line chart of events by minute' }).locator('canvas').waitFor();
    await screenshot(page, 'sql-result-line-chart');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save PNG' }).click();
    expect((await download).suggestedFilename()).toBe('events-by-minute.png');
    await page.getByRole('combobox', { name: 'Chart type' }).selectOption('bar');
    await page.getByRole('figure', { name: 'Bar chart of events by minute' }).waitFor();
    // The CodeMirror editor and ECharts run under the page's CSP (no inline styles or scripts).
    expect(errors).toEqual([]);
  });
});
