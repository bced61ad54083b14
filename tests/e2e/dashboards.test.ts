import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGold, buildSilver } from '../../pipeline/lake/build';
import { writeSampleBronze } from '../helpers/bronze-fixture';
import { startWebCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { POLL, launchChromium, screenshot, watchErrors } from './browser';

describe('Dashboards over Gold in Chromium', () => {
  let web: Awaited<ReturnType<typeof startWebCli>>;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let browser: Browser;

  beforeAll(async () => {
    dir = await tempDir();
    const lake = join(dir.path, 'lake');
    await writeSampleBronze(lake);
    await buildSilver(lake);
    await buildGold(lake);
    web = await startWebCli(['--lake', lake, '--config', join(dir.path, 'config')]);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await dir?.remove();
  });

  it('shows KPIs and charts of the sample, with the funnel 987 → 3 → 10', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1400 } });
    const errors = watchErrors(page);
    await page.goto(`${web.url}#/dashboards`);
    const kpi = (label: string) =>
      page.getByRole('group', { name: label, exact: true }).locator('.kpi-value');
    await expect.poll(() => kpi('Revenue').textContent(), POLL).toBe('2,387.84');
    expect(await kpi('Views').textContent()).toBe('987');
    expect(await kpi('Purchases').textContent()).toBe('10');
    expect(await kpi('Users').textContent()).toBe('330');
    expect(await kpi('Sessions').textContent()).toBe('372');
    // ECharts' aria module describes the data in the chart's label.
    const funnel = page.getByRole('region', { name: 'Conversion funnel' }).locator('.chart');
    await expect
      .poll(() => funnel.getAttribute('aria-label'), POLL)
      .toMatch(/Views.*987.*Carts.*3.*Purchases.*10/s);
    await page
      .getByRole('region', { name: 'Events by day and hour (UTC)' })
      .locator('canvas')
      .first()
      .waitFor();
    await page.waitForTimeout(500);
    await screenshot(page, 'dashboards');
    expect(await page.getByRole('textbox', { name: 'From date' }).inputValue()).toBe('2019-10-01');
    expect(errors).toEqual([]);
  });
});
