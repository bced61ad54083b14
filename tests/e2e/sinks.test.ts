import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { buildSampleGold } from '../integration/export/gold-lake';
import { callFromPage, POLL, screenshot, testIdText as text, watchErrors } from './browser';
import { useWebApp } from './web-app';

describe('Sinks panel on the Export screen in Chromium', () => {
  let pg: TestPostgres | undefined;
  // The cluster starts before "clickpulse web" does, so the bridge inherits the password variable.
  const app = useWebApp(async (lake) => {
    pg = await startTestPostgres();
    process.env.CLICKPULSE_E2E_PG = pg.password;
    await buildSampleGold(lake);
  });
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    page = await app.browser.newPage({ viewport: { width: 1440, height: 1600 } });
    errors = watchErrors(page);
  });
  afterAll(async () => {
    delete process.env.CLICKPULSE_E2E_PG;
    await pg?.stop();
  });

  it('tests a connection (naming a missing database), starts the sink and shows every table synced', async () => {
    if (!pg) throw new Error('no PostgreSQL');
    await page.goto(`${app.url}#/export`);
    const panel = page.getByRole('group', { name: 'Sinks' });
    await panel.getByRole('textbox', { name: 'PostgreSQL URL' }).fill(pg.url('no_such_db'));
    await panel.getByRole('textbox', { name: 'Password environment variable' }).fill('CLICKPULSE_E2E_PG');
    await panel.getByRole('button', { name: 'Test connection' }).click();
    await panel.getByText(/DATABASE_MISSING: Database "no_such_db" does not exist/).waitFor();

    await panel.getByRole('textbox', { name: 'PostgreSQL URL' }).fill(pg.url());
    await panel.getByRole('button', { name: 'Test connection' }).click();
    await panel.getByText(/✓ Connected to 127\.0\.0\.1:\d+\/clickpulse_test as sink/).waitFor();

    await panel.getByRole('button', { name: 'Start sink' }).click();
    const status = panel.getByLabel('Sink status');
    await status.getByText('Up to date').waitFor({ timeout: 60_000 });
    await status.getByRole('row', { name: /funnel_daily\s+1\s/ }).waitFor();
    await expect.poll(() => status.getByRole('row').count()).toBe(1 + 9);
    expect(await pg.psql('SELECT count(*) FROM clickpulse.funnel_daily')).toBe('1');
    await screenshot(page, 'export-sinks');

    await panel.getByRole('button', { name: 'Stop sink' }).click();
    await panel.getByRole('button', { name: 'Start sink' }).waitFor();
    expect(errors).toEqual([]);
  });

  it("shows the sink's state and lag behind Gold on the Monitor while it runs, and its error, and nothing once stopped", async () => {
    if (!pg) throw new Error('no PostgreSQL');
    // The Monitor needs a replay to show: the sample, at max speed.
    await page.goto(`${app.url}#/replay`);
    await page.getByRole('button', { name: 'Use sample' }).click();
    await page.getByText('REES46 multi-category behaviour data').waitFor();
    await page.getByLabel('Speed').selectOption('max');
    await page.getByRole('button', { name: 'Start replay' }).click();
    await page.waitForURL(/#\/monitor$/);
    await expect.poll(text(page, 'replay-state'), POLL).toBe('Completed');
    const lag = page.getByLabel('PostgreSQL sink lag');
    await expect.poll(() => lag.count()).toBe(0); // the first test stopped it

    const target = { url: pg.url(), passwordEnv: 'CLICKPULSE_E2E_PG', schema: 'monitored' };
    expect(await callFromPage(page, 'sink.postgres.start', { target })).toMatchObject({ ok: true });
    await expect
      .poll(() => lag.textContent(), POLL)
      .toBe('PostgreSQL sink (monitored): idle, lag behind Gold 0.0 s');
    await screenshot(page, 'monitor-sink-lag');
    expect(await callFromPage(page, 'sink.postgres.stop', {})).toMatchObject({ ok: true });
    await expect.poll(() => lag.count(), POLL).toBe(0);

    // A sink that cannot sync says why on the same line.
    const missing = { ...target, url: pg.url('no_such_db') };
    await callFromPage(page, 'sink.postgres.start', { target: missing });
    await expect
      .poll(() => lag.textContent(), POLL)
      .toMatch(
        /^PostgreSQL sink \(monitored\): (failed|retrying), lag behind Gold .+ — .*no_such_db.* does not exist/,
      );
    await callFromPage(page, 'sink.postgres.stop', {});
    await expect.poll(() => lag.count(), POLL).toBe(0);
    expect(errors).toEqual([]);
  });
});
