import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGold, buildSilver } from '../../pipeline/lake/build';
import { writeSampleBronze } from '../helpers/bronze-fixture';
import { POLL, screenshot, screenshotDir, watchErrors, callValueFromPage } from './browser';
import { useWebApp } from './web-app';

const PANELS = [
  'Traffic by event type',
  'Conversion funnel (sessions)',
  'Revenue by category',
  'Revenue by category (treemap)',
  'Top products by views',
  'Events by day and hour (UTC)',
  'Session duration',
];
type TableRows = Record<string, string | number>[];

/**
 * Everything the screen shows at one instant, read in one task of the page (React renders whole, so it is
 * one render): the KPI figures and every panel's data table.
 */
function readScreen(page: Page) {
  return page.evaluate(() => {
    const kpis: Record<string, string> = {};
    for (const el of Array.from(document.querySelectorAll('.kpi'))) {
      const label = el.getAttribute('aria-label') ?? '';
      const value = el.querySelector('.kpi-value');
      kpis[label] = value?.getAttribute('data-value') ?? value?.textContent ?? '';
    }
    const tables: Record<string, Record<string, string | number>[]> = {};
    for (const table of Array.from(document.querySelectorAll('table[aria-label$=" data"]'))) {
      const heads = Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent ?? '');
      tables[(table.getAttribute('aria-label') ?? '').replace(/ data$/, '')] = [
        ...Array.from(table.querySelectorAll('tbody tr')),
      ].map((tr) =>
        Object.fromEntries(
          Array.from(tr.querySelectorAll('td')).map((td, i) => {
            const text = td.textContent ?? '';
            return [heads[i] ?? '', td.classList.contains('num') ? Number(text.replace(/,/g, '')) : text];
          }),
        ),
      );
    }
    const status = document.querySelector('[data-testid="dashboard-status"]')?.textContent ?? '';
    return { kpis, tables, status };
  });
}

const total = (
  rows: TableRows | undefined,
  key: string,
  where: (r: TableRows[number]) => boolean = () => true,
) => (rows ?? []).filter(where).reduce((n, r) => n + Number(r[key] ?? 0), 0);

/** The agreements one snapshot guarantees between KPIs and panels. */
function expectAgreement(screen: Awaited<ReturnType<typeof readScreen>>) {
  const t = screen.tables;
  const views = Number(screen.kpis.Views);
  expect(total(t['Traffic by event type'], 'events', (r) => r.event_type === 'view')).toBe(views);
  expect(total(t['Revenue by category'], 'views')).toBe(views);
  expect(total(t['Revenue by category'], 'revenue')).toBeCloseTo(Number(screen.kpis.Revenue), 1);
  expect(total(t['Session duration'], 'sessions')).toBe(Number(screen.kpis.Sessions));
  expect(total(t['Events by day and hour (UTC)'], 'events')).toBe(
    total(t['Traffic by event type'], 'events'),
  );
}

describe('Dashboards in Chromium', () => {
  const app = useWebApp(async (lake) => {
    await writeSampleBronze(lake);
    await buildSilver(lake);
    await buildGold(lake);
  });
  let duck: DuckDBInstance;
  let db: DuckDBConnection;
  /** The independent answer: plain SQL over the lake's files, not the app's code. */
  const lakeSql = async (sql: string) => {
    const silver = `read_parquet('${join(app.lake, 'silver', 'events', '**', '*.parquet')}', hive_partitioning = true)`;
    const result = await db.runAndReadAll(
      sql
        .replaceAll('SILVER', silver)
        .replaceAll(
          'GOLD_FUNNEL',
          `read_parquet('${join(app.lake, 'gold', 'funnel_daily', '**', '*.parquet')}')`,
        ),
    );
    return result.getRowObjectsJS()[0] ?? {};
  };
  beforeAll(async () => {
    duck = await DuckDBInstance.create(':memory:');
    db = await duck.connect();
    await db.run("SET TimeZone = 'UTC'");
  });
  afterAll(() => {
    db?.closeSync();
    duck?.closeSync();
  });

  const open = async () => {
    const page = await app.browser.newPage({
      viewport: { width: 1440, height: 1700 },
      acceptDownloads: true,
    });
    const errors = watchErrors(page);
    await page.goto(`${app.url}#/dashboards`);
    return { page, errors };
  };
  const showTables = async (page: Page) => {
    for (const title of PANELS)
      await page
        .getByRole('region', { name: title, exact: true })
        .getByRole('button', { name: 'Table' })
        .click();
  };

  it('shows KPIs with units and the session funnel, hovers every chart without a console error, light and dark', async () => {
    const { page, errors } = await open();
    const kpi = (label: string) =>
      page.getByRole('group', { name: label, exact: true }).locator('.kpi-value');
    await expect.poll(() => kpi('Revenue').textContent(), POLL).toBe('2,387.84');
    await expect.poll(() => kpi('Revenue').getAttribute('title')).toBe('2,387.84 USD');
    await expect.poll(() => kpi('Views').textContent()).toBe('987');
    await expect.poll(() => kpi('Purchases').textContent()).toBe('10');
    await expect.poll(() => kpi('Users').textContent()).toBe('330');
    await expect.poll(() => kpi('Sessions').textContent()).toBe('372');
    const funnel = page.getByRole('region', { name: 'Conversion funnel (sessions)' }).locator('.chart');
    await expect.poll(() => funnel.getAttribute('aria-label'), POLL).toMatch(/Viewed.*Carted.*Purchased/s);
    await expect.poll(() => page.getByRole('textbox', { name: 'From date' }).inputValue()).toBe('2019-10-01');
    await expect
      .poll(() => page.getByTestId('dashboard-status').textContent(), POLL)
      .toMatch(/As of 2019-10-01 .* UTC/);

    let tooltips = 0;
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const title of PANELS) {
        const canvas = page.getByRole('region', { name: title, exact: true }).locator('canvas').first();
        await canvas.waitFor();
        const box = await canvas.boundingBox();
        if (!box) continue;
        for (const [fx, fy] of [
          [0.3, 0.3],
          [0.5, 0.5],
          [0.7, 0.6],
          [0.85, 0.2],
          [0.2, 0.8],
        ] as const) {
          await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
          if (
            await page
              .locator('.chart-tooltip-body')
              .first()
              .isVisible()
              .catch(() => false)
          )
            tooltips++;
        }
      }
      await page.mouse.move(5, 5);
      await page.waitForTimeout(400); // ECharts' own fade-in animation, for the screenshot only
      await screenshot(page, `dashboards-${scheme}`);
    }
    // A tooltip in dark theme, for the screenshot.
    const traffic = await page
      .getByRole('region', { name: 'Traffic by event type' })
      .locator('canvas')
      .first()
      .boundingBox();
    if (traffic) await page.mouse.move(traffic.x + traffic.width * 0.5, traffic.y + traffic.height * 0.4);
    await page.locator('.chart-tooltip-body').first().waitFor();
    await page.waitForTimeout(300);
    // Of the panel only: a full-page shot resizes the page, and ECharts hides its tooltip on a resize.
    await page
      .getByRole('region', { name: 'Traffic by event type' })
      .screenshot({ path: join(screenshotDir, 'dashboards-dark-tooltip.png') });
    expect(tooltips).toBeGreaterThan(4);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('filters every panel by a clicked bar, as an independent query over Silver says, and exports CSV and PNG', async () => {
    const { page, errors } = await open();
    await expect.poll(() => page.getByTestId('dashboard-status').textContent(), POLL).toMatch(/refreshed in/);
    await showTables(page);
    const before = await readScreen(page);
    expectAgreement(before);
    // The top bar of "Revenue by category" is the category with the most revenue.
    const bars = before.tables['Revenue by category'] ?? [];
    const byL1 = new Map<string, number>();
    for (const r of bars)
      byL1.set(String(r.category_l1), (byL1.get(String(r.category_l1)) ?? 0) + Number(r.revenue));
    const ranked = [...byL1].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const [top] = ranked[0] ?? [''];
    const panel = page.getByRole('region', { name: 'Revenue by category', exact: true });
    await panel.getByRole('button', { name: 'Chart' }).click();
    const box = await panel.locator('canvas').first().boundingBox();
    if (!box) throw new Error('no category chart');
    const bands = Math.min(12, ranked.length);
    await page.mouse.click(box.x + 140, box.y + 8 + (box.height - 32) / bands / 2);
    // A click asks: filter by the bar, or see the events behind it.
    await page.getByRole('menuitem', { name: `Filter by Category: ${top}` }).click();
    await page.getByRole('button', { name: `Remove filter Category: ${top}` }).waitFor();
    await expect
      .poll(() => page.getByTestId('dashboard-status').textContent(), POLL)
      .toMatch(/every panel reads Silver.*refreshed in/);
    await panel.getByRole('button', { name: 'Table' }).click();
    const after = await readScreen(page);
    const where = top === '(none)' ? 'category_l1 IS NULL' : `category_l1 = '${top}'`;
    const want = await lakeSql(`SELECT count(*) FILTER (WHERE event_type = 'view')::INT AS views,
        coalesce(sum(price) FILTER (WHERE event_type = 'purchase'), 0)::DOUBLE AS revenue,
        count(DISTINCT session_id)::INT AS sessions, count(DISTINCT user_id)::INT AS users, count(*)::INT AS events
      FROM SILVER WHERE ${where}`);
    expect(Number(after.kpis.Views)).toBe(want.views);
    expect(Number(after.kpis.Users)).toBe(want.users);
    expect(Number(after.kpis.Revenue)).toBeCloseTo(Number(want.revenue), 2);
    expect(total(after.tables['Traffic by event type'], 'events')).toBe(want.events);
    expect(total(after.tables['Events by day and hour (UTC)'], 'events')).toBe(want.events);
    expect(new Set((after.tables['Revenue by category'] ?? []).map((r) => r.category_l1))).toEqual(
      new Set([top]),
    );
    expectAgreement(after);

    const csv = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save Revenue by category as CSV' }).click();
    const csvText = await readFile(await (await csv).path(), 'utf8');
    expect(csvText.split('\r\n')[0]).toBe('category_l1,category_l2,views,purchases,revenue');
    expect(csvText.trim().split('\r\n')).toHaveLength(1 + (after.tables['Revenue by category']?.length ?? 0));

    await page
      .getByRole('region', { name: 'Session duration' })
      .getByRole('button', { name: 'Chart' })
      .click();
    const png = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save Session duration as PNG' }).click();
    const image = await readFile(await (await png).path());
    expect(image.subarray(1, 4).toString()).toBe('PNG');
    // Taller than the 280 px chart at pixel ratio 2: the header with the title and filters is above it.
    expect(image.readUInt32BE(20)).toBeGreaterThan(560 + 60);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the last figures on the first frame when coming back from another screen, then refreshes them', async () => {
    const { page, errors } = await open();
    await expect.poll(() => page.getByTestId('dashboard-status').textContent(), POLL).toMatch(/refreshed in/);
    const shown = (await readScreen(page)).kpis;
    const link = (name: string) =>
      page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name });
    await link('Monitor').click();
    await page.getByRole('main', { name: 'Monitor' }).waitFor();
    // Read right after the commit that rendered the screen (a MutationObserver runs then): no answer from the
    // Workbench can have arrived yet.
    const first = await page.evaluate(
      () =>
        new Promise<{ views: string | null | undefined; status: string }>((resolve) => {
          const observer = new MutationObserver(() => {
            if (document.querySelector('main')?.getAttribute('aria-label') !== 'Dashboards') return;
            observer.disconnect();
            resolve({
              views: document
                .querySelector('.kpi[aria-label="Views"] .kpi-value')
                ?.getAttribute('data-value'),
              status: document.querySelector('[data-testid="dashboard-status"]')?.textContent ?? '',
            });
          });
          observer.observe(document.body, { subtree: true, childList: true, attributes: true });
          Array.from(document.querySelectorAll<HTMLAnchorElement>('nav a'))
            .find((a) => a.textContent === 'Dashboards')
            ?.click();
        }),
    );
    expect(first.views).toBe(shown.Views);
    expect(first.status).toMatch(/refreshing/);
    await expect.poll(() => page.getByTestId('dashboard-status').textContent(), POLL).toMatch(/refreshed in/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('during a paced replay never shows a made-up 0, and KPIs and charts always agree', async () => {
    const { page, errors } = await open();
    await expect.poll(() => page.getByTestId('dashboard-status').textContent(), POLL).toMatch(/refreshed in/);
    await showTables(page);
    const topic = 'dash_events';
    await callValueFromPage(page, 'stream.start', { topic });
    const generated = (await callValueFromPage(page, 'replay.generate', {
      rows: 1500,
      start: '2019-11-04',
    })) as {
      path: string;
    };
    const goldBefore = Number((await lakeSql('SELECT sum(views)::INT AS v FROM GOLD_FUNNEL')).v);
    await callValueFromPage(page, 'replay.start', { path: generated.path, topic, rate: 300, partitions: 1 });
    // A page opened while the replay runs: its first figures come from Gold, never a placeholder 0.
    const late = await app.browser.newPage();
    const lateErrors = watchErrors(late);
    await late.goto(`${app.url}#/dashboards`);
    const first = await readScreen(late);
    for (const value of Object.values(first.kpis)) expect(value === '…' || Number(value) > 0).toBe(true);
    await late.close();
    expect(lateErrors).toEqual([]);
    const seen = new Set<number>();
    // Sample the screen until the replay is over and the screen shows all that Gold then holds (the lake
    // may trail the replay by many seconds on a loaded machine).
    const deadline = Date.now() + 90_000;
    for (;;) {
      const progress = (await callValueFromPage(page, 'replay.status', {})) as { state: string } | null;
      const screen = await readScreen(page);
      const views = Number(screen.kpis.Views);
      // Loaded: a figure, never below what Gold had before the replay (the tables are open: loaded).
      expect(views).toBeGreaterThanOrEqual(goldBefore);
      expectAgreement(screen);
      seen.add(views);
      const running = progress && ['starting', 'running'].includes(progress.state);
      if (!running) {
        const gold = Number((await lakeSql('SELECT sum(views)::INT AS v FROM GOLD_FUNNEL')).v);
        if (gold > goldBefore && views === gold && /refreshed in/.test(screen.status)) break;
      }
      if (Date.now() > deadline)
        throw new Error(`the screen never caught up with Gold (saw ${[...seen].join(', ')})`);
      await page.waitForTimeout(250);
    }
    const end = await readScreen(page);
    expectAgreement(end);
    await screenshot(page, 'dashboards-after-replay');
    expect(seen.size).toBeGreaterThan(1); // the screen moved with the lake while the replay ran
    expect(errors).toEqual([]);
    await page.close();
  });
});
