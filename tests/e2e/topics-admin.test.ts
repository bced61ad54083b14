import { createServer } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { POLL, screenshot, watchErrors } from './browser';
import { useWebApp } from './web-app';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const brokerState = (page: Page) => page.getByRole('status', { name: 'Broker state' }).textContent();
const notice = (page: Page) => page.getByRole('status', { name: 'Topic notice' }).textContent();

describe('Topics screen administration in Chromium', () => {
  const app = useWebApp();

  it('creates a topic with retention in human units, edits it, adds partitions, deletes records, a group and the topic', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1440, height: 1100 } });
    const errors = watchErrors(page);
    await page.goto(`${app.url}#/topics`);
    await expect.poll(() => brokerState(page), POLL).toBe('Stopped');
    const port = await freePort();
    await page.getByRole('textbox', { name: 'Broker port' }).fill(String(port));
    await page.getByRole('button', { name: 'Start broker' }).click();
    await expect.poll(() => brokerState(page), POLL).toBe('Running');
    const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      // Create, with a bad retention first: the dialog says why and keeps what was typed.
      await page.getByRole('button', { name: 'New topic…' }).click();
      const create = page.getByRole('dialog', { name: 'Create a topic' });
      await create.getByRole('textbox', { name: 'Topic name' }).fill('orders');
      await create.getByRole('textbox', { name: 'Partitions' }).fill('2');
      await create.getByRole('textbox', { name: 'Retention time' }).fill('3');
      await create.getByRole('textbox', { name: 'Retention size' }).fill('500 MiB');
      await create.getByRole('button', { name: 'Create topic' }).click();
      await expect
        .poll(() => create.getByRole('alert').textContent(), POLL)
        .toBe('Retention time: "3" needs a unit: for example 7 d, 12 h or 30 min.');
      await expect
        .poll(() => create.getByRole('textbox', { name: 'Topic name' }).inputValue())
        .toBe('orders');
      await create.getByRole('textbox', { name: 'Retention time' }).fill('3 d');
      await screenshot(page, 'topics-admin-create');
      await create.getByRole('button', { name: 'Create topic' }).click();
      await expect.poll(() => notice(page), POLL).toBe('Created topic orders with 2 partition(s).');
      const settings = page.getByLabel('Settings of orders');
      await expect
        .poll(() => settings.textContent(), POLL)
        .toBe('Keeps 3 d · at most 500 MiB per partition · segments of 64 MiB');
      const described = async () =>
        Object.fromEntries(
          (
            await admin.describeConfigs({ resources: [{ type: 2, name: 'orders' }], includeSynonyms: false })
          ).resources[0]?.configEntries.map((e) => [e.configName, e.configValue]) ?? [],
        );
      expect(await described()).toMatchObject({
        'retention.ms': '259200000',
        'retention.bytes': '524288000',
      });

      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: 'orders',
        messages: Array.from({ length: 10 }, (_, i) => ({ partition: 0, value: JSON.stringify({ i }) })),
      });
      await producer.disconnect();
      await admin.setOffsets({
        groupId: 'old-readers',
        topic: 'orders',
        partitions: [{ partition: 0, offset: '3' }],
      });

      // Edit retention: shown in the units it was given, saved in Kafka's.
      await page.getByRole('button', { name: 'Edit retention…' }).click();
      const retention = page.getByRole('dialog', { name: 'Retention of orders' });
      await expect
        .poll(() => retention.getByRole('textbox', { name: 'Retention time' }).inputValue())
        .toBe('3 d');
      await expect
        .poll(() => retention.getByRole('textbox', { name: 'Retention size' }).inputValue())
        .toBe('500 MiB');
      await retention.getByRole('textbox', { name: 'Retention time' }).fill('12 h');
      await retention.getByRole('textbox', { name: 'Retention size' }).fill('1 GiB');
      await retention.getByRole('button', { name: 'Save retention' }).click();
      await expect
        .poll(() => settings.textContent(), POLL)
        .toContain('Keeps 12 h · at most 1 GiB per partition');
      expect(await described()).toMatchObject({
        'retention.ms': '43200000',
        'retention.bytes': String(1024 ** 3),
      });

      // Add partitions.
      await page.getByRole('button', { name: 'Add partitions…' }).click();
      const grow = page.getByRole('dialog', { name: 'Add partitions to orders' });
      await grow.getByRole('textbox', { name: 'New partition count' }).fill('4');
      await grow.getByRole('button', { name: 'Add partitions' }).click();
      await expect.poll(() => notice(page), POLL).toBe('orders now has 4 partitions.');
      const partitions = page.getByRole('table', { name: 'Partitions of orders' });
      await expect.poll(() => partitions.getByRole('row').count(), POLL).toBe(5);
      expect((await admin.fetchTopicMetadata({ topics: ['orders'] })).topics[0]?.partitions).toHaveLength(4);

      // Delete records before offset 6 of partition 0, after the confirmation says what goes.
      await page.getByRole('button', { name: 'Delete records of partition 0' }).click();
      const trim = page.getByRole('dialog', { name: 'Delete records of orders-0' });
      await trim.getByRole('textbox', { name: 'Delete before offset' }).fill('6');
      await expect
        .poll(() => trim.getByRole('status', { name: 'Records to delete' }).textContent())
        .toBe('6 record(s) will be deleted (offsets 0 to 5).');
      await screenshot(page, 'topics-admin-delete-records');
      await trim.getByRole('button', { name: 'Delete records' }).click();
      await expect
        .poll(() => notice(page), POLL)
        .toBe('Deleted 6 record(s) of orders-0: it now starts at offset 6.');
      const offsets = await admin.fetchTopicOffsets('orders');
      expect(offsets.find((o) => o.partition === 0)).toMatchObject({ low: '6', high: '10' });
      await expect.poll(() => partitions.getByRole('row').nth(1).textContent(), POLL).toMatch(/^06104/);

      // Delete the idle group.
      const group = page.getByRole('article', { name: 'Group old-readers' });
      await group.getByRole('button', { name: 'Delete group…' }).click();
      await page
        .getByRole('dialog', { name: 'Delete group old-readers' })
        .getByRole('button', { name: 'Delete group' })
        .click();
      await expect.poll(() => group.count(), POLL).toBe(0);
      expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain('old-readers');

      await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
      await screenshot(page, 'topics-admin-dark');
      await page.getByRole('combobox', { name: 'Theme' }).selectOption('system');

      // Delete the topic: only once its name is typed.
      await page.getByRole('button', { name: 'Delete topic…' }).click();
      const drop = page.getByRole('dialog', { name: 'Delete topic orders' });
      const confirm = drop.getByRole('button', { name: 'Delete topic' });
      await expect.poll(() => confirm.isDisabled()).toBe(true);
      await drop.getByRole('textbox', { name: 'Confirm topic name' }).fill('order');
      await expect.poll(() => confirm.isDisabled()).toBe(true);
      await drop.getByRole('textbox', { name: 'Confirm topic name' }).fill('orders');
      await confirm.click();
      await expect.poll(() => notice(page), POLL).toBe('Deleted topic orders and its 4 message(s).');
      await expect.poll(() => page.getByRole('button', { name: 'Open topic orders' }).count(), POLL).toBe(0);
      expect(await admin.listTopics()).not.toContain('orders');
      await screenshot(page, 'topics-admin-deleted');
    } finally {
      await admin.disconnect();
    }
    await page.getByRole('button', { name: 'Stop broker' }).click();
    await expect.poll(() => brokerState(page), POLL).toBe('Stopped');
    expect(errors).toEqual([]);
  });
});
