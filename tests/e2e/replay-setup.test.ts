import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callFromPage, POLL, screenshot, watchErrors } from './browser';
import { repoRoot } from '../helpers/repo-root';
import { useWebApp } from './web-app';

describe('Replay setup in Chromium', () => {
  const app = useWebApp();

  it('uses the sample: detected layout, exact ids in the preview, an editable mapping', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}#/replay`);
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
    await expect
      .poll(() => page.getByRole('combobox', { name: 'Source column for user_id' }).inputValue())
      .toBe('user_id');
    await screenshot(page, 'replay-setup-sample');

    await page.getByRole('combobox', { name: 'Source column for user_id' }).selectOption('');
    await page.getByRole('alert').getByText('Map a column to user_id before replaying.').waitFor();
    await page.getByRole('combobox', { name: 'Source column for user_id' }).selectOption('user_id');
    await expect.poll(() => page.getByText('Map a column to user_id before replaying.').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('a script in the page holding the token cannot read a file until the user picks it in the picker', async () => {
    const file = join(app.dir, 'picked-later.csv');
    await copyFile(join(repoRoot, 'resources', 'rees46-2019-oct-head1000.csv'), file);
    const page = await app.browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(`${app.url}#/replay`);
    // The page's own WebSocket to the bridge, as any script in it could open.
    const inspect = () => callFromPage(page, 'replay.inspect', { path: file });
    expect(await inspect()).toEqual({
      id: 1,
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: `Refused: ${file} was not chosen in the in-app file picker this session, so it cannot be read as a dataset; choose it there first.`,
      },
    });
    await page.getByRole('button', { name: 'Choose file…' }).click();
    const picker = page.getByRole('dialog', { name: 'Choose a clickstream file' });
    const folder = picker.getByRole('textbox', { name: 'Folder' });
    await expect.poll(() => folder.inputValue(), POLL).not.toBe('');
    await folder.fill(app.dir);
    await picker.getByRole('button', { name: 'Go' }).click();
    await picker.getByRole('button', { name: /picked-later\.csv/ }).click();
    await page.getByText('REES46 multi-category behaviour data').waitFor();
    expect(await inspect()).toMatchObject({ id: 1, ok: true });
  });

  it('shows the file-level error of a malformed dataset chosen in the in-app picker', async () => {
    await writeFile(join(app.dir, 'broken.parquet'), 'this is not parquet');
    const page = await app.browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(`${app.url}#/replay`);
    await page.getByRole('button', { name: 'Choose file…' }).click();
    const picker = page.getByRole('dialog', { name: 'Choose a clickstream file' });
    await picker.getByRole('textbox', { name: 'Folder' }).fill(app.dir);
    await picker.getByRole('button', { name: 'Go' }).click();
    await picker.getByRole('button', { name: /broken\.parquet/ }).click();
    await page
      .getByRole('alert')
      .getByText(/cannot be read as PARQUET/)
      .waitFor();
    await screenshot(page, 'replay-setup-error');
  });
});
