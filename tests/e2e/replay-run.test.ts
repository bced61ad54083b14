import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { POLL, screenshot, testIdText as text, watchErrors } from './browser';
import { useWebApp } from './web-app';

describe('Replay run and Monitor in Chromium', () => {
  const app = useWebApp();

  const openSample = async (page: Page) => {
    await page.goto(`${app.url}#/replay`);
    await page.getByRole('button', { name: 'Use sample' }).click();
    await page.getByText('REES46 multi-category behaviour data').waitFor();
  };

  it('replays the sample at max speed and the Monitor shows all 1,000 sent', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}#/monitor`);
    await page.getByRole('region', { name: 'Nothing is replaying' }).waitFor();

    await page.getByRole('button', { name: 'Go to Replay' }).click();
    await openSample(page);
    await page.getByLabel('Speed').selectOption('max');
    await page.getByRole('button', { name: 'Start replay' }).click();

    await page.waitForURL(/#\/monitor$/);
    await expect.poll(text(page, 'replay-state'), POLL).toBe('Completed');
    expect(await text(page, 'rows-sent')()).toBe('1,000');
    expect(await text(page, 'rows-rejected')()).toBe('0');
    expect(await text(page, 'replay-percent')()).toBe('100.0 %');
    // The run's average comes from its final summary, not one fetched while it ran (a 1 s run said 0).
    await expect.poll(text(page, 'pace'), POLL).toMatch(/^[1-9][\d,]* events\/s on average \(max speed\)$/);
    // Until the lake consumer exists the Lake card explains why it has no figures, and nothing crashes.
    await page.getByRole('region', { name: 'Lake' }).waitFor();
    await screenshot(page, 'monitor-completed');
    expect(errors).toEqual([]);
  });

  it('streams the 1,000 sample events into Bronze', async (ctx) => {
    const page = await app.browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(`${app.url}#/monitor`);
    const lake = page.getByRole('region', { name: 'Lake' });
    await lake.waitFor();
    await expect.poll(() => lake.textContent(), POLL).not.toContain('Loading…');
    if ((await lake.textContent())?.includes('being built')) {
      ctx.skip('stream.start answers "The lake consumer is being built": no Bronze to count yet');
    }
    await expect.poll(text(page, 'bronze-rows'), POLL).toBe('1,000');
  });

  it('pauses, resumes and stops a ×60 replay from the Monitor, by button and by shortcut', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const errors = watchErrors(page);
    await openSample(page);
    await page.getByLabel('Speed').selectOption('60');
    // Its own topic: the same file on the same topic would resume after the first test's run, i.e. be done.
    await page.getByLabel('Topic', { exact: true }).fill('paced_events');
    await page.keyboard.press('Control+Enter');

    await page.waitForURL(/#\/monitor$/);
    await expect.poll(text(page, 'replay-state'), POLL).toBe('Running');
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(text(page, 'replay-state'), POLL).toBe('Paused');
    const sentWhilePaused = await text(page, 'rows-sent')();

    // Space toggles when the focus is not in a field (blur the button so the shortcut itself is tested).
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Space');
    await expect.poll(text(page, 'replay-state'), POLL).toBe('Running');
    await expect.poll(text(page, 'rows-sent'), POLL).not.toBe(sentWhilePaused);
    // "Stream into the lake" switched the consumer over from the first test's topic.
    await page
      .getByRole('region', { name: 'Lake' })
      .getByText(/^paced_events →/)
      .waitFor();
    // A line needs two points (one a second) before the screenshot shows it.
    const chartCard = page.getByRole('region', { name: 'Events per second' });
    await expect
      .poll(async () => Number(await chartCard.getAttribute('data-points')), POLL)
      .toBeGreaterThan(2);
    await screenshot(page, 'monitor');

    await page.keyboard.press('Control+.');
    await expect.poll(text(page, 'replay-state'), POLL).toBe('Stopped');
    const sent = Number((await text(page, 'rows-sent')()).replace(/,/g, ''));
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(1000);
    await page.getByRole('button', { name: 'New replay…' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('counts rejected rows by reason and points to the dead-letter topic', async () => {
    const header =
      'event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session';
    const good = (second: number) =>
      `2019-10-01 00:00:0${second} UTC,view,1,2,,acme,1.50,${100 + second},s${second}`;
    await writeFile(
      join(app.dir, 'with-bad-rows.csv'),
      [header, good(1), 'not a time,view,1,2,,acme,1.50,7,s', good(2), good(3)].join('\n') + '\n',
    );
    const page = await app.browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}#/replay`);
    await page.getByRole('button', { name: 'Choose file…' }).click();
    const picker = page.getByRole('dialog', { name: 'Choose a clickstream file' });
    const folder = picker.getByRole('textbox', { name: 'Folder' });
    // The picker fills in its first folder when that listing arrives; typing before it would be overwritten.
    await expect.poll(() => folder.inputValue(), POLL).not.toBe('');
    await folder.fill(app.dir);
    await picker.getByRole('button', { name: 'Go' }).click();
    await picker.getByRole('button', { name: /with-bad-rows\.csv/ }).click();
    // The file itself (the screen may first have restored the last set-up, the sample).
    await page.locator('dl.facts dd', { hasText: /with-bad-rows\.csv$/ }).waitFor();
    await page.getByRole('button', { name: 'Start replay' }).click();

    await page.waitForURL(/#\/monitor$/);
    await expect.poll(text(page, 'replay-state'), POLL).toBe('Completed');
    expect(await text(page, 'rows-sent')()).toBe('3');
    expect(await text(page, 'rows-rejected')()).toBe('1');
    const rejected = page.getByRole('region', { name: 'Rejected rows and warnings' });
    await rejected.getByRole('cell', { name: '1', exact: true }).waitFor();
    await screenshot(page, 'monitor-rejects');
    await rejected.getByRole('button', { name: 'Open Topics (clickpulse_events_dlq)' }).click();
    await page.waitForURL(/#\/topics$/);

    // The file is remembered: after a reload it is one click away on the Replay screen.
    await page.goto(`${app.url}#/replay`);
    await page.reload();
    await page
      .getByRole('button', { name: `Open recent dataset ${join(app.dir, 'with-bad-rows.csv')}` })
      .click();
    await page.getByText('REES46 multi-category behaviour data').waitFor();
    expect(errors).toEqual([]);
  });

  it('explains invalid options inline and keeps Start disabled until they are fixed', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await openSample(page);
    const start = page.getByRole('button', { name: 'Start replay' });
    await expect.poll(() => start.isEnabled()).toBe(true);

    await page.getByLabel('Row limit').fill('0');
    await page.locator('#run-limit-error').waitFor();
    await expect.poll(() => page.locator('#run-limit-error').textContent()).toBe('Must be more than 0.');
    await page.getByLabel('Topic', { exact: true }).fill('bad topic!');
    await page.getByText('Use letters, digits, ".", "_" and "-" only.').waitFor();
    await expect.poll(() => start.isDisabled()).toBe(true);
    await page.getByText('Fix the 2 options marked above to start.').waitFor();
    await page.getByRole('region', { name: 'Run options' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'replay-options');

    // Fixing one keeps the other's text and message: nothing typed is lost.
    await page.getByLabel('Row limit').fill('500');
    await expect.poll(() => page.getByLabel('Topic', { exact: true }).inputValue()).toBe('bad topic!');
    await expect.poll(() => start.isDisabled()).toBe(true);
    await page.getByLabel('Topic', { exact: true }).fill('fine_topic');
    await expect.poll(() => start.isEnabled()).toBe(true);
  });

  it('generates a synthetic dataset and inspects it like any file', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(`${app.url}#/replay`);
    await page.getByText('Generate a synthetic dataset…').click();
    await page.getByLabel('Rows to generate').fill('0');
    await page.getByText('Rows must be a whole number from 1 to 2,000,000,000.').waitFor();
    await expect
      .poll(() => page.getByRole('button', { name: 'Generate', exact: true }).isDisabled())
      .toBe(true);
    await page.getByLabel('Rows to generate').fill('2000');
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await page.getByText(/Generated 2,000 rows/).waitFor();
    await page.getByText('REES46 multi-category behaviour data').waitFor();
    await page
      .locator('dl.facts dd', { hasText: /synthetic-2000-rows-seed-1-from-2019-10-01\.csv/ })
      .waitFor();
  });
});
