import { describe, expect, it } from 'vitest';
import { buildGold, buildSilver } from '../../pipeline/lake/build';
import { writeSampleBronze } from '../helpers/bronze-fixture';
import { POLL, screenshot, watchErrors } from './browser';
import { useWebApp } from './web-app';

describe('Dashboards over Gold in Chromium', () => {
  const app = useWebApp(async (lake) => {
    await writeSampleBronze(lake);
    await buildSilver(lake);
    await buildGold(lake);
  });

  it('shows KPIs and charts of the sample, with the funnel 987 → 3 → 10', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1440, height: 1400 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}#/dashboards`);
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
