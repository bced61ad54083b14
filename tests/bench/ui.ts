/**
 * bench:ui — the Lake grid over a 5M-row Silver table in Chromium: time to the first page of rows, time of a
 * server-side sort, and time to scroll to the last row. Prints figures; asserts nothing about speed.
 * ROWS=… overrides the size.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { launchChromium } from '../e2e/browser';
import { typeSql } from '../e2e/sql-editor';
import { startWebCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

const rows = Number(process.env.ROWS ?? 5_000_000);
const dir = await tempDir('clickpulse-bench-ui-');
const lake = join(dir.path, 'lake');

try {
  let t = performance.now();
  await mkdir(join(lake, 'silver', 'events', 'event_date=2019-10-01'), { recursive: true });
  const duck = await DuckDBInstance.create(':memory:');
  const db = await duck.connect();
  await db.run(`COPY (
      SELECT md5(range::VARCHAR) AS event_id,
             TIMESTAMPTZ '2019-10-01 00:00:00+00' + to_milliseconds(range * 17) AS event_time,
             (['view','view','view','view','view','view','view','view','cart','purchase'])[1 + range % 10] AS event_type,
             CAST(1000000 + hash(range) % 150000 AS VARCHAR) AS product_id,
             CAST(2053013555631882655 + hash(range) % 1000 AS VARCHAR) AS category_id,
             CAST(round(1 + (hash(range * 7) % 200000) / 100.0, 2) AS DECIMAL(18,2)) AS price,
             CAST(500000000 + hash(range * 13) % 3000000 AS VARCHAR) AS user_id
      FROM range(${rows})
    ) TO '${join(lake, 'silver', 'events', 'event_date=2019-10-01', 'part-0.parquet')}' (FORMAT parquet)`);
  const top = await db.runAndReadAll(
    `SELECT CAST(max(price) AS VARCHAR) FROM '${join(lake, 'silver', 'events', 'event_date=2019-10-01', 'part-0.parquet')}'`,
  );
  const maxPrice = String(top.getRowsJS()[0]?.[0]);
  db.closeSync();
  duck.closeSync();
  console.log(
    `generated ${rows.toLocaleString('en-US')} Silver rows in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  const web = await startWebCli(['--lake', lake, '--config', join(dir.path, 'config')]);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const grid = page.getByRole('grid', { name: 'silver.events' });
    await page.goto(`${web.url}#/lake`);
    await page
      .getByRole('navigation', { name: 'Layers' })
      .getByRole('button', { name: /^events/ })
      .waitFor();

    t = performance.now();
    await page
      .getByRole('navigation', { name: 'Layers' })
      .getByRole('button', { name: /^events/ })
      .click();
    await grid
      .locator('[role="row"][aria-rowindex="2"] [role="gridcell"]')
      .first()
      .filter({ hasNotText: '…' })
      .waitFor();
    const firstPage = performance.now() - t;

    t = performance.now();
    await page.getByRole('button', { name: /^Sort by price/ }).click();
    await page.getByRole('button', { name: 'Sort by price (now ascending)' }).click();
    await page.waitForFunction(
      (expected) =>
        document.querySelector('[role="grid"] [aria-rowindex="2"] [aria-colindex="6"]')?.textContent ===
        expected,
      maxPrice,
      { timeout: 120_000, polling: 50 },
    );
    const sort = performance.now() - t;

    t = performance.now();
    await grid.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    const lastIndex = String(rows + 1);
    await grid
      .locator(`[role="row"][aria-rowindex="${lastIndex}"] [role="gridcell"]`)
      .first()
      .filter({ hasNotText: '…' })
      .waitFor({ timeout: 120_000 });
    const scroll = performance.now() - t;

    // The filter box waits 350 ms for typing to pause before it applies: that wait is part of the figure.
    await grid.evaluate((el) => el.scrollTo({ top: 0 }));
    t = performance.now();
    await page.getByRole('textbox', { name: 'Filter event_type' }).fill('=purchase');
    await grid
      .locator('[role="row"][aria-rowindex="2"] [role="gridcell"]')
      .filter({ hasText: /^purchase$/ })
      .waitFor({ timeout: 120_000 });
    const filter = performance.now() - t;

    // A SQL result of every row: computed once into a temp table, then paged from it.
    await page.goto(`${web.url}#/sql`);
    await typeSql(page, 'SELECT * FROM silver.events');
    const result = page.getByRole('grid', { name: 'Query result' });
    t = performance.now();
    await page.keyboard.press('Control+Enter');
    await result
      .locator('[role="row"][aria-rowindex="2"] [role="gridcell"]')
      .first()
      .filter({ hasNotText: '…' })
      .waitFor({ timeout: 300_000 });
    const sqlFirst = performance.now() - t;
    t = performance.now();
    await result.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await result
      .locator(`[role="row"][aria-rowindex="${lastIndex}"] [role="gridcell"]`)
      .first()
      .filter({ hasNotText: '…' })
      .waitFor({ timeout: 120_000 });
    const sqlLast = performance.now() - t;

    console.log(`time to first grid page: ${firstPage.toFixed(0)} ms`);
    console.log(
      `sort by price descending (server-side, ${rows.toLocaleString('en-US')} rows): ${sort.toFixed(0)} ms`,
    );
    console.log(`scroll to the last row: ${scroll.toFixed(0)} ms`);
    console.log(`filter event_type = purchase (350 ms typing pause included): ${filter.toFixed(0)} ms`);
    console.log(`SQL result of every row, first page: ${sqlFirst.toFixed(0)} ms`);
    console.log(`SQL result, scroll to its last row: ${sqlLast.toFixed(0)} ms`);
  } finally {
    await browser.close();
    await web.stop();
  }
} finally {
  await dir.remove();
}
