/**
 * bench:ui — the Lake grid over a 5M-row Silver table (written straight to the lake's Silver layout with
 * DuckDB, not through the pipeline) in Chromium: time to the first page of rows, a server-side sort, a
 * scroll to the last row, a filter, and a SQL result of every row (its first and last page); then Gold built
 * over it and the Dashboards screen: time to its first figures, and one dashboard refresh (every panel, one
 * snapshot) from Gold and, with a brand filter, from Silver; then Explore over the same lake: a filtered
 * search with its histogram, the first journey (which waits for the user index the search started), a
 * user's journey and a drill-through from a Gold row to its Silver rows (each from navigation to the answer
 * on screen), and the same three calls alone; last, during a max-speed replay streamed into the same lake,
 * screen switches (click to the first painted frame of the next screen) and dashboard refreshes. Prints
 * figures; asserts nothing about speed.
 * ROWS=… overrides the size; GRID_ONLY=1 stops after the grid and SQL figures (for iterating on them).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, callValueFromPage } from '../e2e/browser';
import { typeSql } from '../e2e/sql-editor';
import { builtCli, startWebCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { benchSilverSelect } from './silver-rows';
import { SILVER_PARQUET } from '../../pipeline/lake/silver/parquet';

const execFileAsync = promisify(execFile);
/** Rows of the replay the live figures are measured during (long enough to outlast them at max speed). */
const LIVE_ROWS = Number(process.env.LIVE_ROWS ?? 1_000_000);

/**
 * Clicks a screen's link in the sidebar and times, inside the page, until the frame holding the screen's
 * first render has been painted (a requestAnimationFrame, then a task: the paint comes between them). The
 * screen must paint its frame without waiting for the Workbench; its data may come later.
 */
async function switchTo(page: Page, label: string): Promise<number> {
  // Source text, not a function: tsx would wrap its inner functions in a __name helper the page lacks.
  return Number(await page.evaluate(`(${SWITCH_IN_PAGE})(${JSON.stringify(label)})`));
}
const SWITCH_IN_PAGE = `async (name) => {
  const link = Array.from(document.querySelectorAll('nav[aria-label="Screens"] a')).find((a) => a.textContent === name);
  if (!link) throw new Error('no link to ' + name);
  const shown = () => (document.querySelector('main[aria-label="' + name + '"]')?.childElementCount ?? 0) > 0;
  const started = performance.now();
  link.click();
  // Rendered: seen as the DOM changes (a MutationObserver runs right after React's commit).
  await new Promise((resolve) => {
    if (shown()) return resolve();
    const observer = new MutationObserver(() => {
      if (!shown()) return;
      observer.disconnect();
      resolve();
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return performance.now() - started;
}`;
/** Clicks Show journey and times until the frame showing that user's timeline (its count line) is painted. */
const SHOW_JOURNEY_IN_PAGE = `async (user, counted) => {
  const button = Array.from(document.querySelectorAll('button')).find((b) => b.textContent === 'Show journey');
  if (!button) throw new Error('no Show journey button');
  const shown = () =>
    document.querySelector('section[aria-label="User ' + user + '"]') !== null &&
    Array.from(document.querySelectorAll('p.muted')).some((p) => (p.textContent ?? '').startsWith(counted));
  const started = performance.now();
  button.click();
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no journey of ' + user + ' drawn in 120 s')), 120000);
    const observer = new MutationObserver(() => {
      if (!shown()) return;
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return performance.now() - started;
}`;
const rows = Number(process.env.ROWS ?? 5_000_000);
const dir = await tempDir('clickpulse-bench-ui-');
const lake = join(dir.path, 'lake');

try {
  let t = performance.now();
  await mkdir(join(lake, 'silver', 'events', 'event_date=2019-10-01'), { recursive: true });
  const duck = await DuckDBInstance.create(':memory:');
  const db = await duck.connect();
  await db.run(
    `COPY (${benchSilverSelect(rows)}) TO '${join(lake, 'silver', 'events', 'event_date=2019-10-01', 'part-0.parquet')}' (${SILVER_PARQUET})`,
  );
  const top = await db.runAndReadAll(
    `SELECT CAST(max(price) AS VARCHAR) FROM '${join(lake, 'silver', 'events', 'event_date=2019-10-01', 'part-0.parquet')}'`,
  );
  const maxPrice = String(top.getRowsJS()[0]?.[0]);
  const silverFile = join(lake, 'silver', 'events', 'event_date=2019-10-01', 'part-0.parquet');
  // The two most active users: the first journey opened indexes Silver's users (once per Silver file).
  const [[matches, user, userEvents], [, firstUser, firstUserEvents]] = (
    await db.runAndReadAll(
      `SELECT (SELECT count(*) FROM '${silverFile}' WHERE brand = 'apple' AND event_type = 'purchase' AND price > 100),
              user_id, count(*) FROM '${silverFile}' GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 2`,
    )
  ).getRowsJS() as [[bigint, string, bigint], [bigint, string, bigint]];
  const [[behind, purchases]] = (
    await db.runAndReadAll(
      `SELECT count(*) FILTER (WHERE brand = 'apple'), count(*) FILTER (WHERE event_type = 'purchase') FROM '${silverFile}'`,
    )
  ).getRowsJS() as [[bigint, bigint]];
  // Explore drills from Gold's brand_daily row (day, apple), built below with the rest of Gold.
  db.closeSync();
  duck.closeSync();
  // Straight to Parquet: replaying and streaming 5M rows would take most of the bench's time and measure
  // the pipeline, not the grid.
  console.log(
    `generated ${rows.toLocaleString('en-US')} REES46-shaped Silver rows directly with DuckDB (not through replay and the stream), in the lake's Silver layout, in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  const web = await startWebCli(['--lake', lake, '--config', join(dir.path, 'config')]);
  const browser = await launchChromium();
  figures: try {
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
    // The filtered count, not only a purchase in the first row: among the rows tied at the top price some
    // are purchases, and a first page read again may already show one before the filter applies.
    await page
      .getByText(`${Number(purchases).toLocaleString('en-US')} rows (of ${rows.toLocaleString('en-US')})`)
      .waitFor({ timeout: 120_000 });
    await grid
      .locator('[role="row"][aria-rowindex="2"] [role="gridcell"]')
      .filter({ hasText: /^purchase$/ })
      .waitFor({ timeout: 120_000 });
    const filter = performance.now() - t;

    // A SQL result of every row: computed once into its table, paged from it (the first rows while the rest
    // is still being written).
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
    // The first rows show while the rest is still written into the result's table; the count comes after.
    await page
      .getByRole('status')
      .filter({ hasText: `${rows.toLocaleString('en-US')} rows in` })
      .waitFor({ timeout: 300_000 });
    const sqlAll = performance.now() - t;
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
    console.log(`SQL result, every row in and counted: ${sqlAll.toFixed(0)} ms`);
    console.log(`SQL result, then scroll to its last row: ${sqlLast.toFixed(0)} ms`);
    if (process.env.GRID_ONLY) break figures;

    t = performance.now();
    // The built CLI: Gold's SQL files are Vite ?raw imports, which tsx cannot load.
    await execFileAsync(process.execPath, [builtCli, 'build', 'gold', '--lake', lake]);
    console.log(`Gold built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    await page.goto(`${web.url}#/dashboards`);
    await page.waitForFunction(() => document.querySelector('.kpi-value[data-value]') !== null, undefined, {
      timeout: 120_000,
      polling: 20,
    });
    console.log(`dashboards: time to first figures: ${(performance.now() - t).toFixed(0)} ms`);
    for (const [label, filters] of [
      ['from Gold', {}],
      ['from Silver (brand filter)', { brands: ['samsung'] }],
    ] as const) {
      const times: number[] = [];
      let server = 0;
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const answer = (await callValueFromPage(page, 'dashboard.snapshot', filters)) as { tookMs: number };
        times.push(performance.now() - started);
        server = answer.tookMs;
      }
      times.sort((a, b) => a - b);
      console.log(
        `dashboard refresh ${label} (${rows.toLocaleString('en-US')} rows, all panels): median ${times[1]?.toFixed(0)} ms round trip, ${server} ms on the server`,
      );
    }

    const count = (n: bigint) => Number(n).toLocaleString('en-US');
    t = performance.now();
    await page.goto(
      `${web.url}#/explore?q=${encodeURIComponent('brand:apple event_type:purchase price>100')}`,
    );
    await page.getByText(`${count(matches)} matching events`).waitFor({ timeout: 120_000 });
    await page.getByRole('region', { name: 'Histogram of matches' }).locator('canvas').waitFor();
    const search = performance.now() - t;

    // The search above started indexing Silver's users in the background; this journey waits for it.
    t = performance.now();
    await page.goto(`${web.url}#/journey?user=${firstUser}`);
    await page.getByText(new RegExp(`^${count(firstUserEvents)} events in`)).waitFor({ timeout: 300_000 });
    const firstJourney = performance.now() - t;

    t = performance.now();
    await page.goto(`${web.url}#/journey?user=${user}`);
    await page.getByText(new RegExp(`^${count(userEvents)} events in`)).waitFor({ timeout: 120_000 });
    const journey = performance.now() - t;

    // What a user waits for on the Journeys screen: another id typed, Show journey, the timeline drawn.
    // Timed in the page from the click to the painted frame, as switchTo does: Playwright's click (its
    // actionability checks and round trips, 60-85 ms measured) is the harness's, not the user's, wait.
    await page.getByLabel('Id').fill(firstUser);
    const journeyOnScreen = Number(
      await page.evaluate(
        `(${SHOW_JOURNEY_IN_PAGE})(${JSON.stringify(firstUser)}, ${JSON.stringify(`${count(firstUserEvents)} events in`)})`,
      ),
    );

    t = performance.now();
    await page.goto(`${web.url}#/lineage?table=brand_daily&event_date=2019-10-01&brand=apple`);
    await page.getByText(`${count(behind)} Silver events behind it`).waitFor({ timeout: 120_000 });
    const drill = performance.now() - t;

    // The same three calls without the page: a goto above reloads the app (the URL it was given differs
    // from the one it shows), so those figures include loading and starting it; these are the calls alone.
    const roundTrip = async (call: string, payload: unknown) => {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        await callValueFromPage(page, call, payload);
        times.push(performance.now() - started);
      }
      return (times.sort((a, b) => a - b)[1] ?? 0).toFixed(0);
    };
    const calls = {
      search: await roundTrip('explore.search', {
        query: 'brand:apple event_type:purchase price>100',
        limit: 200,
      }),
      journey: await roundTrip('explore.journey', { userId: user, limit: 5000 }),
      drill: await roundTrip('lineage.rows', {
        table: 'brand_daily',
        key: { event_date: '2019-10-01', brand: 'apple' },
        limit: 200,
      }),
    };

    console.log(
      `explore: filtered search with its histogram (${count(matches)} matches): ${search.toFixed(0)} ms`,
    );
    console.log(
      `explore: the first journey, while the user index is built over ${rows.toLocaleString('en-US')} rows (once): ${firstJourney.toFixed(0)} ms`,
    );
    console.log(`explore: a user's journey (${count(userEvents)} events): ${journey.toFixed(0)} ms`);
    console.log(
      `explore: another journey from the Journeys screen (id typed, Show journey, ${count(firstUserEvents)} events drawn): ${journeyOnScreen.toFixed(0)} ms`,
    );
    console.log(
      `explore: drill-through from a Gold row to its ${count(behind)} Silver rows: ${drill.toFixed(0)} ms`,
    );
    console.log(
      `explore calls alone (median of 3 round trips from the page): search ${calls.search} ms, journey ${calls.journey} ms, drill-through ${calls.drill} ms`,
    );

    // Live: a max-speed replay of another day streamed into this lake (Silver and Gold grow meanwhile).
    await page.goto(`${web.url}#/monitor`);
    await page.getByRole('main', { name: 'Monitor' }).waitFor();
    const topic = 'bench_live';
    await callValueFromPage(page, 'broker.start', { port: 0 });
    await callValueFromPage(page, 'stream.start', { topic });
    const generated = (await callValueFromPage(page, 'replay.generate', {
      rows: LIVE_ROWS,
      start: '2019-10-02',
    })) as { path: string };
    await callValueFromPage(page, 'replay.start', { path: generated.path, topic, speed: 'max' });
    const replay = () =>
      callValueFromPage(page, 'replay.status', {}) as Promise<{ state: string; rowsSent: number } | null>;
    const running = async () => ['starting', 'running'].includes((await replay())?.state ?? '');
    while ((await replay())?.state === 'starting') await page.waitForTimeout(50);
    const switches: Record<string, number[]> = {};
    const refreshes: { trip: number; server: number }[] = [];
    const figures: number[] = [];
    const order = [
      'Dashboards',
      'Monitor',
      'Dashboards',
      'Topics',
      'Dashboards',
      'Lake',
      'Dashboards',
      'Replay',
    ];
    let rounds = 0;
    while (rounds < 3 && (await running())) {
      for (const label of order) {
        const clicked = performance.now();
        const ms = await switchTo(page, label);
        (switches[label] ??= []).push(ms);
        if (label === 'Dashboards') {
          // The screen's own refresh on arriving: from the click to its figures on screen.
          await page.waitForFunction(
            () => document.querySelector('.kpi-value[data-value]') !== null,
            undefined,
            {
              timeout: 120_000,
              polling: 20,
            },
          );
          figures.push(performance.now() - clicked);
          const started = performance.now();
          const answer = (await callValueFromPage(page, 'dashboard.snapshot', {})) as { tookMs: number };
          refreshes.push({ trip: performance.now() - started, server: answer.tookMs });
        }
      }
      rounds += 1;
    }
    const sent = (await replay())?.rowsSent ?? 0;
    const stillRunning = await running();
    if (stillRunning) await callValueFromPage(page, 'replay.stop', {});
    await callValueFromPage(page, 'stream.stop', {});
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const fmt = (xs: number[]) =>
      `median ${median(xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (${xs.length})`;
    console.log(
      `during a max-speed replay (${count(BigInt(sent))} of ${count(BigInt(LIVE_ROWS))} rows sent by the end${stillRunning ? ', still running' : ', finished early: fewer switches'}):`,
    );
    for (const [label, xs] of Object.entries(switches))
      console.log(`  switch to ${label}, click to first painted frame: ${fmt(xs)}`);
    console.log(`  switch to Dashboards, click to its figures on screen: ${fmt(figures)}`);
    console.log(
      `  then a dashboard refresh from Gold asked for by the bench (every panel; it waits for the screen's own when that runs): round trip ${fmt(refreshes.map((r) => r.trip))}; on the server ${fmt(refreshes.map((r) => r.server))}`,
    );
  } finally {
    await browser.close();
    await web.stop();
  }
} finally {
  await dir.remove();
}
