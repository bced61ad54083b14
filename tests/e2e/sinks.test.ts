import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { buildSampleGold } from '../integration/export/gold-lake';
import { screenshot, watchErrors } from './browser';
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
    await expect(status.getByRole('row').count()).resolves.toBe(1 + 9);
    expect(await pg.psql('SELECT count(*) FROM clickpulse.funnel_daily')).toBe('1');
    await screenshot(page, 'export-sinks');

    await panel.getByRole('button', { name: 'Stop sink' }).click();
    await panel.getByRole('button', { name: 'Start sink' }).waitFor();
    expect(errors).toEqual([]);
  });
});
