import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { POLL, screenshot, testIdText as text, watchErrors } from './browser';
import { useWebApp } from './web-app';

// Monitor, Topics and Replay keep telling the truth through a real replay of the sample, through the built
// "clickpulse web", the real broker and lake, in Chromium. One app and browser for the whole file.
describe('Live screens in Chromium', () => {
  const app = useWebApp();

  const chart = (page: Page) => page.getByRole('region', { name: 'Events per second' });
  const points = async (page: Page) => Number((await chart(page).getAttribute('data-points')) ?? 0);
  /** Through the sidebar, as a user leaves a screen (a hash change, not a reload). */
  const nav = (page: Page, screen: string) =>
    page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('link', { name: new RegExp(`^${screen}`) })
      .click();
  /** Chooses a theme and waits until the page wears it (the choice goes through the settings first). */
  const theme = async (page: Page, value: 'light' | 'dark' | 'system') => {
    await page.getByRole('combobox', { name: 'Theme' }).selectOption(value);
    const wanted = value === 'system' ? null : value;
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.theme ?? null), POLL)
      .toBe(wanted);
  };

  it('keeps the replay set-up, the Monitor chart, Elapsed after Stop, the resume point and past runs', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1440, height: 1100 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}#/replay`);
    // An empty app: the first-run guide leads to the sample.
    const guide = page.getByRole('region', { name: 'Getting started' });
    await guide.getByRole('button', { name: 'Use the sample' }).click();
    await page.getByText('REES46 multi-category behaviour data').waitFor();
    await theme(page, 'light');
    await screenshot(page, 'live-replay-guide-light');
    await guide.getByRole('button', { name: 'Dismiss' }).click();
    await guide.waitFor({ state: 'detached' });

    await page.getByLabel('Speed').selectOption('60');
    await page.getByLabel('Topic', { exact: true }).fill('live_events');
    await page.getByLabel('Event time from (UTC)').fill('2019-10-01 00:00:00');
    // Leaving and coming back keeps the dataset and every option typed.
    await nav(page, 'Topics');
    await page.getByRole('status', { name: 'Broker state' }).waitFor();
    await nav(page, 'Replay');
    await page.getByText('REES46 multi-category behaviour data').waitFor();
    await expect.poll(() => page.getByLabel('Topic', { exact: true }).inputValue()).toBe('live_events');
    await expect.poll(() => page.getByLabel('Speed').inputValue()).toBe('60');
    await expect
      .poll(() => page.getByLabel('Event time from (UTC)').inputValue())
      .toBe('2019-10-01 00:00:00');
    await page.getByRole('grid', { name: 'Preview' }).waitFor();
    // The preview fits every column: the last one (user_session) is inside the grid's width.
    const grid = await page.getByRole('grid', { name: 'Preview' }).boundingBox();
    const last = await page.getByRole('columnheader').filter({ hasText: 'user_session' }).boundingBox();
    expect((last?.x ?? 0) + (last?.width ?? 0)).toBeLessThanOrEqual((grid?.x ?? 0) + (grid?.width ?? 0));
    await page.getByRole('region', { name: 'Preview' }).screenshot({
      path: (await screenshot(page, 'live-replay-kept-light')).replace('.png', '-preview.png'),
    });

    await page.getByRole('button', { name: 'Start replay' }).click();
    await page.waitForURL(/#\/monitor$/);
    await expect.poll(text(page, 'replay-state'), POLL).toBe('Running');
    await expect.poll(() => points(page), POLL).toBeGreaterThanOrEqual(3);
    const firstAt = await chart(page).getAttribute('data-first-at');
    const before = await points(page);

    // Two other screens and back: the chart still starts where the run did, with all its points.
    await nav(page, 'Topics');
    await page.getByRole('status', { name: 'Broker state' }).waitFor();
    await nav(page, 'Lake');
    await page.getByRole('navigation', { name: 'Layers' }).waitFor();
    await nav(page, 'Monitor');
    await expect.poll(() => chart(page).getAttribute('data-first-at'), POLL).toBe(firstAt);
    expect(await points(page)).toBeGreaterThanOrEqual(before);
    await screenshot(page, 'live-monitor-running-light');

    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(text(page, 'replay-state'), POLL).toBe('Stopped');
    const elapsed = await text(page, 'elapsed')();
    const sent = await text(page, 'rows-sent')();
    const past = page.getByRole('table', { name: 'Past runs list' });
    const row = past.getByRole('row', { name: /onto live_events$/ });
    await expect.poll(() => row.textContent(), POLL).toContain('stopped');
    await row.getByRole('button', { name: 'Chart' }).click();
    await page
      .getByRole('group', { name: /^Chart of the run started/ })
      .locator('.chart')
      .waitFor();
    await screenshot(page, 'live-monitor-stopped-light');

    // The Replay screen says where the same file and topic resume; the set-up is still there.
    await page.getByRole('button', { name: 'New replay…' }).click();
    await page.waitForURL(/#\/replay$/);
    const resume = page.getByTestId('resume-point');
    await expect.poll(() => resume.textContent().catch(() => ''), POLL).toMatch(/^Resume from row/);
    const n = Number(sent.replace(/,/g, '')) + 1;
    await expect
      .poll(() => resume.textContent())
      .toMatch(new RegExp(`^Resume from row ${n.toLocaleString('en-US')} \\(\\d+ %\\)$`));
    await screenshot(page, 'live-replay-resume-light');

    // A reload is a new renderer: the last set-up comes back from the settings.
    await page.reload();
    await page.getByText('REES46 multi-category behaviour data').waitFor();
    await expect.poll(() => page.getByLabel('Topic', { exact: true }).inputValue(), POLL).toBe('live_events');
    await expect.poll(() => resume.textContent().catch(() => ''), POLL).toMatch(/^Resume from row/);

    // Elapsed was frozen at Stop: seconds of navigating later, the Monitor shows the same.
    await page.goto(`${app.url}#/monitor`);
    await expect.poll(text(page, 'replay-state'), POLL).toBe('Stopped');
    expect(await text(page, 'elapsed')()).toBe(elapsed);
    // After the reload the chart is the same run's, from the Workbench.
    await expect.poll(() => chart(page).getAttribute('data-first-at'), POLL).toBe(firstAt);
    await theme(page, 'dark');
    await screenshot(page, 'live-monitor-stopped-dark');
    await page.goto(`${app.url}#/replay`);
    await page.getByText('REES46 multi-category behaviour data').waitFor();
    await screenshot(page, 'live-replay-dark');
    await theme(page, 'system');
    expect(errors).toEqual([]);
  });

  it('searches the whole topic, finds the JSON form like the word, and goes to an event time', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1440, height: 1100 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}#/replay`);
    await page.getByText('REES46 multi-category behaviour data').waitFor();
    await page.getByLabel('Speed').selectOption('max');
    await page.getByLabel('Topic', { exact: true }).fill('topic_search');
    await page.getByLabel('Event time from (UTC)').fill('');
    await page.getByRole('button', { name: 'Start replay' }).click();
    await page.waitForURL(/#\/monitor$/);
    await expect.poll(text(page, 'replay-state'), POLL).toBe('Completed');

    await page.goto(`${app.url}#/topics`);
    await page.getByRole('button', { name: 'Open topic topic_search' }).click();
    const list = page.getByRole('table', { name: 'Message list' });
    await list.waitFor();
    await expect.poll(() => page.getByRole('combobox', { name: 'Partition' }).inputValue()).toBe('0');
    const search = page.getByRole('searchbox', { name: 'Search messages' });
    const results = page.getByRole('table', { name: 'Search results' });
    const found = async (query: string) => {
      await search.fill(query);
      await page.getByRole('button', { name: 'Search all partitions' }).click();
      await expect
        .poll(() => page.getByRole('status', { name: 'Search result count' }).textContent(), POLL)
        .toContain(query.startsWith('"') ? 'event_type = purchase' : `text “${query}”`);
      return results.getByRole('row').evaluateAll((rows) =>
        rows.slice(1).flatMap((r) => {
          const name = r.getAttribute('aria-label') ?? '';
          return name.endsWith('in full') ? [] : [name];
        }),
      );
    };
    const word = await found('purchase');
    // The sample holds 10 purchases, spread over the partitions, most not on the one shown.
    expect(word).toHaveLength(10);
    expect(word.some((name) => !name.startsWith('Message 0:'))).toBe(true);
    expect(await found('"event_type": "purchase"')).toEqual(word);
    await expect.poll(() => results.locator('mark').first().textContent()).toBe('purchase');
    await screenshot(page, 'live-topics-search-light');

    // Go to time by event time on partition 1: the message there is at or after the time, the one
    // before it earlier.
    await page.getByRole('button', { name: 'Close results' }).click();
    await search.fill('');
    await page.getByRole('combobox', { name: 'Partition' }).selectOption('1');
    // The values carry an event_time: Go to time offers it first.
    await expect
      .poll(() => page.getByRole('combobox', { name: 'Time to go by' }).inputValue(), POLL)
      .toBe('event');
    await page.getByRole('textbox', { name: 'Jump to time (UTC)' }).fill('2019-10-01 00:05:00');
    await page.getByRole('button', { name: 'Go to time' }).click();
    const note = page.getByRole('status', { name: 'Time jump' });
    await expect.poll(() => note.textContent().catch(() => ''), POLL).toMatch(/^By event time/);
    const offset = Number(/offset (\d+)/.exec((await note.textContent()) ?? '')?.[1]);
    const eventTime = async (o: number) => {
      const row = list.getByRole('row', { name: `Message ${o}`, exact: true });
      await row.waitFor();
      const value = JSON.parse((await row.locator('code.value-line').textContent()) ?? '{}') as {
        event_time: string;
      };
      return Date.parse(value.event_time);
    };
    expect(await eventTime(offset)).toBeGreaterThanOrEqual(Date.UTC(2019, 9, 1, 0, 5));
    expect(offset).toBeGreaterThan(0);
    await page.getByRole('textbox', { name: 'Jump to offset' }).fill(String(offset - 1));
    await page.getByRole('button', { name: 'Go to offset' }).click();
    expect(await eventTime(offset - 1)).toBeLessThan(Date.UTC(2019, 9, 1, 0, 5));
    // Browsing an offset is not a live tail.
    await expect.poll(() => page.getByRole('checkbox', { name: 'Live tail' }).isChecked()).toBe(false);
    await theme(page, 'dark');
    await screenshot(page, 'live-topics-dark');
    await theme(page, 'system');
    expect(errors).toEqual([]);
  });
});
