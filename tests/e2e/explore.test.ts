import { DuckDBInstance } from '@duckdb/node-api';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { replayedLake } from '../helpers/replayed-lake';
import type { LineageRows } from '../../pipeline/contract';
import { callValueFromPage, firstCell, POLL, screenshot, watchErrors } from './browser';
import { useWebApp } from './web-app';

/** Facts about the lake, from DuckDB directly (not through the app). */
const facts = { purchases: 0, day: '', dayEvents: 0, user: '', userEvents: 0 };

async function prepare(lake: string): Promise<void> {
  const { workbench } = await replayedLake({ lake, configDir: join(dirname(lake), 'config'), rows: 2000 });
  await workbench.close();
  const duck = await DuckDBInstance.create(':memory:');
  const db = await duck.connect();
  try {
    const silver = `read_parquet('${join(lake, 'silver/events/**/*.parquet')}', hive_partitioning = true)`;
    const one = async (sql: string) => (await db.runAndReadAll(sql)).getRowsJS()[0] ?? [];
    facts.purchases = Number((await one(`SELECT count(*) FROM ${silver} WHERE event_type = 'purchase'`))[0]);
    const [day, dayEvents] = await one(
      `SELECT CAST(event_date AS VARCHAR), count(*) FROM ${silver} GROUP BY 1 ORDER BY 1 LIMIT 1`,
    );
    Object.assign(facts, { day: String(day), dayEvents: Number(dayEvents) });
    const [user, userEvents] = await one(
      `SELECT user_id, count(*) FROM ${silver} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
    );
    Object.assign(facts, { user: String(user), userEvents: Number(userEvents) });
  } finally {
    db.closeSync();
    duck.closeSync();
  }
}

const count = (n: number) => n.toLocaleString('en-US');

describe('Explore, Journeys, Lineage and Data quality in Chromium', () => {
  const app = useWebApp(prepare);
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    page = await app.browser.newPage({ viewport: { width: 1440, height: 900 } });
    errors = watchErrors(page);
  });

  it('searches, shows the histogram and grid, keeps user text as text, brushes a range and saves a search', async () => {
    await page.goto(`${app.url}#/explore?q=event_type%3Apurchase`);
    await page.getByText(`${count(facts.purchases)} matching events`).waitFor();
    await page.getByRole('region', { name: 'Histogram of matches' }).locator('.chart').waitFor();
    await expect.poll(() => firstCell(page, 'Matching events', 'event_type'), POLL).toBe('purchase');
    await screenshot(page, 'explore-light');
    expect(errors.length, 'explore-light').toBe(0);

    const query = page.getByRole('textbox', { name: 'Query' });
    await query.fill(`brand:"x' OR '1'='1" "'); DROP TABLE silver; --"`);
    await query.press('Enter');
    await page.getByRole('region', { name: 'No events match' }).waitFor();

    await query.fill('');
    await query.press('Enter');
    await page.getByText(/^[\d,]+ matching events$/).waitFor();
    const all = Number((await page.locator('.explore-summary strong').textContent())?.replace(/,/g, ''));
    // Brush the middle third of the histogram: the range becomes the search's.
    const box = await page
      .getByRole('region', { name: 'Histogram of matches' })
      .locator('.chart')
      .boundingBox();
    if (!box) throw new Error('no histogram');
    await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 8 });
    await page.mouse.up();
    await page.getByText(/matching events from 20\d\d-/).waitFor();
    const ranged = Number((await page.locator('.explore-summary strong').textContent())?.replace(/,/g, ''));
    expect(ranged).toBeGreaterThan(0);
    expect(ranged).toBeLessThan(all);
    expect(page.url()).toMatch(/from=20/);

    await query.fill(`user:${facts.user}`);
    await query.press('Enter');
    await page.getByRole('button', { name: 'Clear range' }).click();
    await page.getByText(`${count(facts.userEvents)} matching events`).waitFor();
    page.once('dialog', (d) => void d.accept('busiest user'));
    await page.getByRole('button', { name: 'Save search…' }).click();
    await page.getByRole('option', { name: 'busiest user' }).waitFor({ state: 'attached' });
    await page.goto(`${app.url}#/explore`);
    await page.reload();
    await page.getByRole('combobox', { name: 'Saved searches' }).selectOption('busiest user');
    await page.getByText(`${count(facts.userEvents)} matching events`).waitFor();
    await page.getByRole('link', { name: `Journey of user ${facts.user}` }).click();
    await page.getByRole('list', { name: 'Journey' }).waitFor();
  });

  it('follows a user’s journey: sessions and events with gaps', async () => {
    await page.goto(`${app.url}#/journey?user=${facts.user}`);
    await page.getByText(new RegExp(`^${count(facts.userEvents)} events in \\d+ sessions`)).waitFor();
    await expect.poll(() => page.locator('.journey-event').count()).toBe(facts.userEvents);
    await page
      .getByRole('region', { name: `User ${facts.user}` })
      .getByText('Revenue')
      .waitFor();
    // The user's cards show ids and timestamps whole: none is cut to fit its card.
    const cut = await page
      .getByRole('region', { name: `User ${facts.user}` })
      .locator('.kpi-value')
      .evaluateAll((values) => values.filter((v) => v.scrollWidth > v.clientWidth).map((v) => v.textContent));
    expect(cut).toEqual([]);
    await screenshot(page, 'journey-light');
    expect(errors.length, 'journey-light').toBe(0);
  });

  it('drills a funnel_daily row down to its Silver rows, a Bronze record and the source line', async () => {
    await page.goto(`${app.url}#/lineage?table=funnel_daily`);
    await page.getByRole('button', { name: 'Show the events behind this' }).first().click();
    await page.getByText(`${count(facts.dayEvents)} Silver events behind it`).waitFor();
    await page.getByRole('button', { name: 'Trace' }).first().click();
    const line = page.getByLabel('Source line');
    await expect.poll(() => line.textContent(), POLL).toMatch(/^20\d\d-\d\d-\d\d \d\d:\d\d:\d\d UTC,/);
    await page.getByText('clickpulse.row').waitFor();
    await screenshot(page, 'lineage-light');
    expect(errors.length, 'lineage-light').toBe(0);
  });

  it('shows data quality: counts, health per source, and the lake’s own checks (silver.dq_daily)', async () => {
    await page.goto(`${app.url}#/quality`);
    await page.getByText(/computed by the lake \(silver\.dq_daily\)/).waitFor();
    await page
      .getByRole('region', { name: 'Health per replay run' })
      .getByText(/@[0-9a-f]{12}/)
      .waitFor();
    await screenshot(page, 'quality-light');
    expect(errors.length, 'quality-light').toBe(0);
  });

  /** The drill the Lineage screen shows (from its link), its rows fetched whole and summed up here. */
  const drilledHere = async () => {
    await page.getByText(/[\d,]+ Silver events behind it/).waitFor();
    const params = new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '');
    const { table, where, sessions, figure, ...key } = Object.fromEntries(params) as Record<string, string>;
    const answer = (await callValueFromPage(page, 'lineage.rows', {
      table,
      key,
      ...(where ? { where: JSON.parse(where) as unknown } : {}),
      ...(sessions ? { sessions: JSON.parse(sessions) as unknown } : {}),
      limit: 100_000,
    })) as LineageRows;
    const at = (c: string) => answer.columns.findIndex((x) => x.name === c);
    const rows = answer.rows.map((r) => ({ type: r[at('event_type')], price: Number(r[at('price')] ?? 0) }));
    const purchases = rows.filter((r) => r.type === 'purchase');
    await page.getByText(`${count(answer.total)} Silver events behind it`).waitFor();
    return {
      figure,
      events: rows.length,
      views: rows.filter((r) => r.type === 'view').length,
      purchases: purchases.length,
      revenue: purchases.reduce((n, r) => n + r.price, 0),
      sessions: new Set(answer.rows.map((r) => r[at('session_id')])).size,
    };
  };
  let dashboardDrill = '';

  it('shows the events behind a Dashboards KPI, a bar and a table row: they re-aggregate to the figure', async () => {
    await page.goto(`${app.url}#/dashboards`);
    await expect.poll(() => page.getByTestId('dashboard-status').textContent(), POLL).toMatch(/refreshed in/);
    const kpi = (label: string) =>
      page.getByRole('group', { name: label, exact: true }).locator('.kpi-value').getAttribute('data-value');
    const views = Number(await kpi('Views'));
    expect(views).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'Show the events behind Views' }).click();
    const behindViews = await drilledHere();
    expect([behindViews.events, behindViews.views]).toEqual([views, views]);
    expect(behindViews.figure).toMatch(/^Views: [\d,]+ events \(Dates \(UTC\)/);

    // The top bar of "Revenue by category": its revenue from the panel's table, then a click on the bar.
    await page.goBack();
    await expect.poll(() => page.getByTestId('dashboard-status').textContent(), POLL).toMatch(/refreshed in/);
    const panel = page.getByRole('region', { name: 'Revenue by category', exact: true });
    await panel.getByRole('button', { name: 'Table' }).click();
    const revenueByL1 = new Map<string, number>();
    for (const tr of await panel.locator('tbody tr').all()) {
      const [l1, , , , revenue] = await tr.locator('td').allTextContents();
      revenueByL1.set(String(l1), (revenueByL1.get(String(l1)) ?? 0) + Number(revenue?.replace(/,/g, '')));
    }
    const ranked = [...revenueByL1].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const [topL1, topRevenue] = ranked[0] ?? ['', 0];
    await panel.getByRole('button', { name: 'Chart' }).click();
    await panel.locator('canvas').first().scrollIntoViewIfNeeded();
    const box = await panel.locator('canvas').first().boundingBox();
    if (!box) throw new Error('no category chart');
    await page.mouse.click(box.x + 140, box.y + 8 + (box.height - 32) / Math.min(12, ranked.length) / 2);
    const menu = page.getByRole('menu', { name: `Revenue by category: ${topL1}` });
    await menu.getByRole('menuitem', { name: `Filter by Category: ${topL1}` }).waitFor();
    await screenshot(page, 'dashboards-figure-menu-light');
    await menu.getByRole('menuitem', { name: 'Show the events behind this' }).click();
    const behindBar = await drilledHere();
    expect(behindBar.revenue).toBeCloseTo(topRevenue, 2);
    expect(behindBar.figure).toMatch(new RegExp(`^Revenue of ${topL1}: `));
    await screenshot(page, 'lineage-figure-light');
    dashboardDrill = page.url();

    // A row of the traffic table: one event type in one time bucket.
    await page.goBack();
    const traffic = page.getByRole('region', { name: 'Traffic by event type', exact: true });
    await traffic.getByRole('button', { name: 'Table' }).click();
    const first = traffic.locator('tbody tr').first();
    const events = Number((await first.locator('td').nth(2).textContent())?.replace(/,/g, ''));
    const type = await first.locator('td').nth(1).textContent();
    await first.getByRole('link', { name: 'events ›' }).click();
    const behindRow = await drilledHere();
    expect(behindRow.events).toBe(events);
    expect(behindRow.events).toBe(
      type === 'view' ? behindRow.views : type === 'purchase' ? behindRow.purchases : behindRow.events,
    );
    expect(errors.length, 'dashboard drills').toBe(0);
  });

  it('shows the events behind a Lake grid row of funnel_daily, category_daily, product_performance and session_stats', async () => {
    const figures: [string, string, (d: Awaited<ReturnType<typeof drilledHere>>) => number][] = [
      ['funnel_daily', 'views', (d) => d.views],
      ['category_daily', 'purchases', (d) => d.purchases],
      ['product_performance', 'views', (d) => d.views],
      ['session_stats', 'events', (d) => d.events],
    ];
    for (const [table, column, reaggregate] of figures) {
      await page.goto(`${app.url}#/lake`);
      await page
        .getByRole('navigation', { name: 'Layers' })
        .getByRole('button', { name: new RegExp(`^${table}`) })
        .click();
      await page.getByRole('heading', { name: `gold.${table}` }).waitFor();
      await expect.poll(() => firstCell(page, `gold.${table}`, column), POLL).toMatch(/^\d/);
      const shown = Number((await firstCell(page, `gold.${table}`, column)).replace(/,/g, ''));
      if (table === 'product_performance') await screenshot(page, 'lake-gold-row-action-light');
      await page.getByRole('button', { name: 'Show the events behind this, row 1', exact: true }).click();
      const drilled = await drilledHere();
      expect(reaggregate(drilled), `${table}.${column}`).toBe(shown);
      expect(reaggregate(drilled), `${table}.${column}`).toBeGreaterThan(0);
    }
    expect(errors.length, 'lake drills').toBe(0);
  });

  it('renders every screen in the dark theme', async () => {
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await screenshot(page, 'quality-dark');
    await page.goto(`${app.url}#/explore?q=event_type%3Acart`);
    await page.getByRole('region', { name: 'Histogram of matches' }).locator('.chart').waitFor();
    await expect.poll(() => firstCell(page, 'Matching events', 'event_type'), POLL).toBe('cart');
    await screenshot(page, 'explore-dark');
    await page.goto(`${app.url}#/journey?user=${facts.user}`);
    await page.getByRole('list', { name: 'Journey' }).waitFor();
    await screenshot(page, 'journey-dark');
    await page.goto(`${app.url}#/lineage?table=funnel_daily&event_date=${facts.day}`);
    await page.getByText(`${count(facts.dayEvents)} Silver events behind it`).waitFor();
    await page.getByRole('button', { name: 'Trace' }).first().click();
    await page.getByLabel('Source line').waitFor();
    await screenshot(page, 'lineage-dark');
    await page.goto(dashboardDrill);
    await drilledHere();
    await screenshot(page, 'lineage-figure-dark');
    await page.goto(`${app.url}#/dashboards`);
    await expect.poll(() => page.getByTestId('dashboard-status').textContent(), POLL).toMatch(/refreshed in/);
    const traffic = page.getByRole('region', { name: 'Traffic by event type', exact: true });
    await traffic.getByRole('button', { name: 'Table' }).click();
    await traffic.getByRole('link', { name: 'events ›' }).first().waitFor();
    await screenshot(page, 'dashboards-row-drill-dark');
    expect([...new Set(errors)].join('\n')).toBe('');
  });
});
