import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { POLL, screenshot, watchErrors } from './browser';
import { useWebApp } from './web-app';

function listenOn(port: number): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}

async function freePort(): Promise<number> {
  const { server, port } = await listenOn(0);
  await new Promise((r) => server.close(r));
  return port;
}

const brokerState = (page: Page) => page.getByRole('status', { name: 'Broker state' }).textContent();

describe('Topics screen in Chromium', () => {
  const app = useWebApp();

  it('starts the broker, shows a produced topic, its messages, search and a group’s lag', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1440, height: 1300 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}#/topics`);
    await expect.poll(() => brokerState(page), POLL).toBe('Stopped');
    await page.getByRole('region', { name: 'The broker is not running' }).waitFor();

    const port = await freePort();
    await page.getByRole('textbox', { name: 'Broker port' }).fill(String(port));
    await page.getByRole('button', { name: 'Start broker' }).click();
    await expect.poll(() => brokerState(page), POLL).toBe('Running');
    await expect
      .poll(() => page.getByLabel('Bootstrap address', { exact: true }).textContent())
      .toBe(`127.0.0.1:${port}`);

    const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'clicks',
      messages: Array.from({ length: 12 }, (_, i) => ({
        key: `user-${i % 4}`,
        value: JSON.stringify({ event_type: i % 3 === 0 ? 'cart' : 'view', product_id: 1000 + i }),
        headers: { source: 'e2e' },
        timestamp: String(Date.UTC(2019, 9, 1, 0, 0, i)),
      })),
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.setOffsets({
      groupId: 'analysts',
      topic: 'clicks',
      partitions: [{ partition: 0, offset: '5' }],
    });
    await admin.disconnect();

    // The screen refreshes itself: the topic and the group appear without a reload.
    await expect.poll(() => page.getByLabel('Messages in clicks').textContent(), POLL).toBe('12');
    await expect.poll(() => page.getByLabel('Total lag of analysts').textContent(), POLL).toBe('Lag 7');

    await page.getByRole('button', { name: 'Open topic clicks' }).click();
    const list = page.getByRole('table', { name: 'Message list' });
    await expect.poll(() => list.getByRole('row').count(), POLL).toBe(13);
    const newest = list.getByRole('row', { name: 'Message 11' });
    await expect.poll(() => newest.textContent()).toContain('user-3');
    await expect.poll(() => newest.textContent()).toContain('2019-10-01 00:00:11');
    // One line per message; expanded, the value is indented JSON and the headers are listed.
    await expect
      .poll(() => newest.locator('code.value-line').textContent())
      .toBe(JSON.stringify({ event_type: 'view', product_id: 1011 }));
    await newest.getByRole('button', { name: 'Expand message 11' }).click();
    const full = list.getByRole('row', { name: 'Message 11 in full' });
    await expect
      .poll(() => full.locator('pre.value').textContent())
      .toBe(JSON.stringify({ event_type: 'view', product_id: 1011 }, null, 2));
    await expect.poll(() => full.textContent()).toContain('sourcee2e');
    await newest.getByRole('button', { name: 'Collapse message 11' }).click();
    await full.waitFor({ state: 'detached' });

    await page.getByRole('searchbox', { name: 'Search messages' }).fill('user-2');
    await expect.poll(() => list.getByRole('row').count(), POLL).toBe(4);
    await expect
      .poll(() => page.getByRole('status', { name: 'Message count' }).textContent())
      .toContain('Showing 3 of 12 loaded');
    await screenshot(page, 'topics-messages');
    // Downloads hold what is shown: the 3 found, not the 12 loaded.
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe('clicks-0.csv');
    const lines = (await readFile(await csv.path(), 'utf8')).split('\r\n');
    expect(lines.map((l) => l.split(',')[0])).toEqual(['offset', '2', '6', '10']);
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download JSON' }).click(),
    ]);
    const exported = JSON.parse(await readFile(await json.path(), 'utf8')) as {
      key: string;
      value: unknown;
    }[];
    expect(exported.map((m) => m.key)).toEqual(['user-2', 'user-2', 'user-2']);
    expect(exported[0]?.value).toEqual({ event_type: 'view', product_id: 1002 });

    await page.getByRole('searchbox', { name: 'Search messages' }).fill('');
    // The live tail picks up a new message by itself.
    await producer.send({
      topic: 'clicks',
      messages: [
        {
          key: 'user-9',
          value: '{"event_type":"purchase"}',
          timestamp: String(Date.UTC(2019, 9, 1, 0, 0, 12)),
        },
      ],
    });
    await producer.disconnect();
    await list.getByRole('row', { name: 'Message 12' }).waitFor();
    await expect.poll(() => list.getByRole('row').count()).toBe(14);
    await page.getByRole('textbox', { name: 'Jump to time (UTC)' }).fill('2019-10-01 00:00:09');
    await page.getByRole('button', { name: 'Go to time' }).click();
    await expect.poll(() => list.getByRole('row').count(), POLL).toBe(5);
    await page.getByRole('textbox', { name: 'Jump to time (UTC)' }).fill('soon');
    await page.getByRole('button', { name: 'Go to time' }).click();
    await page.getByText('"soon" is not a time: use YYYY-MM-DD HH:MM:SS (UTC).').waitFor();
    // The bad time loses nothing: the page shown stays.
    await expect.poll(() => list.getByRole('row').count()).toBe(5);

    // Reset the idle group to earliest through the confirmation dialog; the lag follows.
    await page
      .getByRole('article', { name: 'Group analysts' })
      .getByRole('button', { name: 'Reset offsets…' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Reset offsets of analysts' });
    await dialog.getByRole('radio', { name: /Earliest/ }).check();
    await screenshot(page, 'topics-reset');
    await dialog.getByRole('button', { name: 'Reset offsets' }).click();
    await expect.poll(() => page.getByLabel('Total lag of analysts').textContent(), POLL).toBe('Lag 13');

    await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    await screenshot(page, 'topics-dark');
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('system');

    await page.getByRole('button', { name: 'Stop broker' }).click();
    await expect.poll(() => brokerState(page), POLL).toBe('Stopped');
    expect(errors).toEqual([]);
  });

  it('names a taken port and starts on the free one it offers', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 700 } });
    await page.goto(`${app.url}#/topics`);
    // Independent of the test before: stop the broker if it still runs.
    await expect.poll(() => brokerState(page), POLL).toMatch(/^(Stopped|Running)$/);
    if ((await brokerState(page)) === 'Running')
      await page.getByRole('button', { name: 'Stop broker' }).click();
    await expect.poll(() => brokerState(page), POLL).toBe('Stopped');
    const taken = await listenOn(await freePort());
    try {
      await page.getByRole('textbox', { name: 'Broker port' }).fill(String(taken.port));
      await page.getByRole('button', { name: 'Start broker' }).click();
      const alert = page.getByRole('alert');
      await expect
        .poll(() => alert.textContent(), POLL)
        .toContain(`Port ${taken.port} on 127.0.0.1 is already in use`);
      const offer = alert.getByRole('button', { name: /^Use port \d+$/ });
      const offered = Number((await offer.textContent())?.replace('Use port ', ''));
      expect(offered).toBeGreaterThan(0);
      expect(offered).not.toBe(taken.port);
      await screenshot(page, 'topics-port-taken');
      await offer.click();
      await expect.poll(() => brokerState(page), POLL).toBe('Running');
      await expect
        .poll(() => page.getByLabel('Bootstrap address', { exact: true }).textContent())
        .toBe(`127.0.0.1:${offered}`);
      // The port that worked is remembered for the next start.
      await page.reload();
      await expect.poll(() => brokerState(page), POLL).toBe('Running');
      await page.getByRole('button', { name: 'Stop broker' }).click();
      await expect
        .poll(() => page.getByRole('textbox', { name: 'Broker port' }).inputValue(), POLL)
        .toBe(String(offered));
    } finally {
      await new Promise((r) => taken.server.close(r));
    }
  });
  it('starts the broker with SASL from the security fields and says how clients connect', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${app.url}#/topics`);
    await expect.poll(() => brokerState(page), POLL).toMatch(/^(Stopped|Running)$/);
    if ((await brokerState(page)) === 'Running')
      await page.getByRole('button', { name: 'Stop broker' }).click();
    await expect.poll(() => brokerState(page), POLL).toBe('Stopped');
    const users = join(app.dir, 'users.json');
    await writeFile(users, JSON.stringify({ users: { analyst: { password: 'e2e-secret' } } }));
    const port = await freePort();
    await page.getByRole('textbox', { name: 'Broker port' }).fill(String(port));
    await page.getByText('Security: TLS, SASL and network').click();
    // A typed path the user never chose is refused in one sentence; Choose… (the in-app picker) grants it.
    await page.getByRole('textbox', { name: 'SASL users file' }).fill(users);
    await page.getByRole('button', { name: 'Start broker' }).click();
    await expect
      .poll(() => page.locator('.broker-error').textContent(), POLL)
      .toContain(`Refused: ${users} was not chosen in the in-app file picker this session`);
    await page.getByRole('button', { name: 'Choose the SASL users file' }).click();
    const picker = page.getByRole('dialog', { name: 'SASL users file' });
    await picker.getByRole('textbox', { name: 'Folder' }).fill(app.dir);
    await picker.getByRole('button', { name: 'Go' }).click();
    await picker.getByRole('button', { name: /users\.json/ }).click();
    await expect
      .poll(() => page.getByRole('textbox', { name: 'SASL users file' }).inputValue(), POLL)
      .toBe(users);
    await screenshot(page, 'topics-broker-security');
    await page.getByRole('button', { name: 'Start broker' }).click();
    await expect.poll(() => brokerState(page), POLL).toBe('Running');
    await expect
      .poll(() => page.getByLabel('Broker security').textContent())
      .toBe('SASL_PLAINTEXT: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512');
    const kafka = new Kafka({
      brokers: [`127.0.0.1:${port}`],
      logLevel: logLevel.NOTHING,
      sasl: { mechanism: 'scram-sha-256', username: 'analyst', password: 'e2e-secret' },
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'secured', numPartitions: 1 }] });
    await admin.disconnect();
    await expect.poll(() => page.getByLabel('Messages in secured').textContent(), POLL).toBe('0');
    await screenshot(page, 'topics-broker-sasl-running');
    await page.getByRole('button', { name: 'Stop broker' }).click();
    await expect.poll(() => brokerState(page), POLL).toBe('Stopped');
  });
});
