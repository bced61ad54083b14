import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL_ENV } from '../../pipeline/dataset/months';
import { SAMPLE_CSV } from '../helpers/query-lake';
import { startRees46Server } from '../integration/dataset/rees46-server';
import { screenshot, watchErrors } from './browser';
import { useWebApp } from './web-app';

const served = gzipSync(readFileSync(SAMPLE_CSV));

describe('Download a REES46 month in Chromium', () => {
  let server: Awaited<ReturnType<typeof startRees46Server>>;
  // Registered before useWebApp's hook, so "clickpulse web" inherits the local stand-in for data.rees46.com.
  beforeAll(async () => {
    server = await startRees46Server({ '2019-Oct.csv.gz': served });
    process.env[BASE_URL_ENV] = server.baseUrl;
  });
  const app = useWebApp();
  afterAll(() => server.close());

  it('shows progress, cancels, resumes, then offers the downloaded file as the dataset', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}#/replay`);
    const section = page.getByRole('region', { name: 'Download a REES46 month' });
    await section.getByText(/REES46 Marketing Platform/).waitFor();
    await section.getByRole('combobox').selectOption('2019-Oct');
    await section.getByRole('button', { name: 'Folder…' }).click();
    const picker = page.getByRole('dialog', { name: 'Download the month into…' });
    await picker.getByRole('textbox', { name: 'Folder' }).fill(app.dir);
    await picker.getByRole('button', { name: 'Go' }).click();
    await picker.getByRole('button', { name: 'Choose this folder' }).click();
    await section.getByText(`into ${app.dir}`).waitFor();

    const half = Math.floor(served.length / 2);
    server.state.holdAfter = half;
    await section.getByRole('button', { name: 'Download' }).click();
    const halfShown = `${(half / 1024).toFixed(1)} KB of ${(served.length / 1024).toFixed(1)} KB`;
    await section.getByText(halfShown).waitFor();
    await screenshot(page, 'download-month-progress');
    await section.getByRole('button', { name: 'Cancel' }).click();
    await section.getByText(/cancelled; Download resumes from here/).waitFor();
    server.dropHeld();

    server.state.holdAfter = null;
    await section.getByRole('button', { name: 'Download' }).click();
    await page.getByText('REES46 multi-category behaviour data').waitFor();
    expect(server.requests.at(-1)?.range).toMatch(/^bytes=\d+-$/);
    expect((await readFile(join(app.dir, '2019-Oct.csv.gz'))).equals(served)).toBe(true);
    await screenshot(page, 'download-month-done');

    await section.getByRole('button', { name: 'Download' }).click();
    await section
      .getByRole('alert')
      .getByText(/2019-Oct is already downloaded: .*Use it, or download it again\?/)
      .waitFor();
    await screenshot(page, 'download-month-exists');
    await section.getByRole('button', { name: 'Use the downloaded file' }).click();
    await page.getByText(join(app.dir, '2019-Oct.csv.gz')).first().waitFor();
    expect(errors).toEqual([]);
  });
});
