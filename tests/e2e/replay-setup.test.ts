import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { POLL, launchChromium, screenshot, watchErrors } from './browser';

describe('Replay setup in Chromium', () => {
  let web: Awaited<ReturnType<typeof startWebCli>>;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let browser: Browser;

  beforeAll(async () => {
    dir = await tempDir();
    web = await startWebCli(['--lake', join(dir.path, 'lake'), '--config', join(dir.path, 'config')]);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await dir?.remove();
  });

  it('uses the sample: detected layout, exact ids in the preview, an editable mapping', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const errors = watchErrors(page);
    await page.goto(`${web.url}#/replay`);
    await page.getByRole('button', { name: 'Use sample' }).click();
    await page.getByText('REES46 multi-category behaviour data').waitFor();
    const preview = page.getByRole('grid', { name: 'Preview' });
    await expect
      .poll(
        () =>
          preview
            .locator('[aria-rowindex="2"] [aria-colindex="4"]')
            .textContent({ timeout: 1000 })
            .catch(() => ''),
        POLL,
      )
      .toBe('2103807459595387724');
    expect(await page.getByRole('combobox', { name: 'Source column for user_id' }).inputValue()).toBe(
      'user_id',
    );
    await screenshot(page, 'replay-setup-sample');

    await page.getByRole('combobox', { name: 'Source column for user_id' }).selectOption('');
    await page.getByRole('alert').getByText('Map a column to user_id before replaying.').waitFor();
    await page.getByRole('combobox', { name: 'Source column for user_id' }).selectOption('user_id');
    await expect(page.getByText('Map a column to user_id before replaying.').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });

  it('shows the file-level error of a malformed dataset chosen in the in-app picker', async () => {
    await writeFile(join(dir.path, 'broken.parquet'), 'this is not parquet');
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(`${web.url}#/replay`);
    await page.getByRole('button', { name: 'Choose file…' }).click();
    const picker = page.getByRole('dialog', { name: 'Choose a clickstream file' });
    await picker.getByRole('textbox', { name: 'Folder' }).fill(dir.path);
    await picker.getByRole('button', { name: 'Go' }).click();
    await picker.getByRole('button', { name: /broken\.parquet/ }).click();
    await page
      .getByRole('alert')
      .getByText(/cannot be read as PARQUET/)
      .waitFor();
    await screenshot(page, 'replay-setup-error');
  });
});
