import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSampleGold } from '../integration/export/gold-lake';
import { screenshot, watchErrors } from './browser';
import { useWebApp } from './web-app';

describe('Export screen in Chromium', () => {
  const app = useWebApp(async (lake) => {
    await buildSampleGold(lake);
  });
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    page = await app.browser.newPage({ viewport: { width: 1440, height: 1250 } });
    errors = watchErrors(page);
  });

  it('exports chosen Gold tables for Tableau into a folder picked in the app, and lists the files', async () => {
    await page.goto(`${app.url}#/export`);
    const tables = page.getByRole('group', { name: 'Gold tables' });
    await tables.getByRole('checkbox', { name: 'funnel_daily' }).waitFor();
    await expect
      .poll(() => tables.getByRole('row', { name: /funnel_daily/ }).textContent())
      .toContain('Grain: one row per UTC day.');
    await tables.getByRole('button', { name: 'None' }).click();
    await tables.getByRole('checkbox', { name: 'funnel_daily' }).check();
    await tables.getByRole('checkbox', { name: 'category_daily' }).check();
    await page.getByRole('checkbox', { name: /^Excel/ }).check();

    // The in-app folder picker (browser mode), into a folder whose name has a space and an umlaut.
    const outDir = join(app.dir, 'Tableau Übergabe');
    await page.getByRole('button', { name: 'Choose…' }).click();
    const picker = page.getByRole('dialog', { name: 'Export into this folder' });
    await picker.getByRole('textbox', { name: 'Folder' }).fill(app.dir);
    await picker.getByRole('button', { name: 'Go' }).click();
    await picker.getByRole('button', { name: 'Choose this folder' }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Output folder' }).inputValue()).toBe(app.dir);
    await page.getByRole('textbox', { name: 'Output folder' }).fill(outDir);

    await page.getByRole('toolbar', { name: 'Export' }).getByRole('button', { name: 'Export' }).click();
    const written = page.getByRole('region', { name: 'Files written' });
    await written.getByRole('heading', { name: /^8 files written/ }).waitFor();
    for (const name of [
      'category_daily.csv',
      'category_daily.tdsx',
      'funnel_daily.tds',
      'funnel_daily.xlsx',
    ]) {
      await written.getByRole('cell', { name, exact: true }).waitFor();
    }
    expect((await readdir(outDir)).sort()).toEqual(
      ['category_daily', 'funnel_daily'].flatMap((t) =>
        ['csv', 'tds', 'tdsx', 'xlsx'].map((e) => `${t}.${e}`),
      ),
    );
    await screenshot(page, 'export');

    // Exporting again without consent: a clear message, and the files stay as they were.
    await page.getByRole('toolbar', { name: 'Export' }).getByRole('button', { name: 'Export' }).click();
    await page
      .getByRole('alert')
      .getByText(
        /and 5 more already exist in .*Tableau Übergabe; choose another folder or allow overwriting\./,
      )
      .waitFor();
    await screenshot(page, 'export-conflict');
    await page.getByRole('checkbox', { name: 'Overwrite files that already exist' }).check();
    await page.getByRole('toolbar', { name: 'Export' }).getByRole('button', { name: 'Export' }).click();
    await written.getByRole('heading', { name: /^8 files written/ }).waitFor();
    expect(errors).toEqual([]);
  });
});
