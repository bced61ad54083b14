import { createServer, type Server } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../pipeline/workbench';
import { runCli } from '../../helpers/run-cli';
import { testWorkbench } from '../../helpers/workbench';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const d of disposers.splice(0).reverse()) await d();
});

function occupy(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}

async function freePort(): Promise<number> {
  const { server, port } = await occupy();
  await new Promise((r) => server.close(r));
  return port;
}

describe('the broker through the Workbench API (in its worker thread)', () => {
  it('starts, reports topics, groups with lag and messages, and stops', async () => {
    const { workbench, dispose } = await testWorkbench();
    disposers.push(dispose);
    const statuses: string[] = [];
    workbench.subscribe((name, payload) => {
      if (name === 'broker.status') statuses.push((payload as { state: string }).state);
    });
    const port = await freePort();
    const started = await dispatch(workbench, 'broker.start', { port });
    expect(started).toMatchObject({
      ok: true,
      value: { state: 'running', port, bootstrap: `127.0.0.1:${port}` },
    });

    const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'events', numPartitions: 2 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'events',
      messages: Array.from({ length: 10 }, (_, i) => ({
        key: 'u1',
        value: JSON.stringify({ i }),
        headers: { 'clickpulse.row': String(i) },
      })),
    });
    await admin.setOffsets({
      groupId: 'lake',
      topic: 'events',
      partitions: [
        { partition: 0, offset: '4' },
        { partition: 1, offset: '0' },
      ],
    });
    const overview = await workbench.call('broker.overview', {});
    const topic = overview.topics.find((x) => x.name === 'events');
    expect(topic?.messages).toBe(10);
    expect(topic?.partitions).toHaveLength(2);
    const group = overview.groups.find((g) => g.groupId === 'lake');
    expect(group?.totalLag).toBe(6);
    expect(overview.connections).toBeGreaterThan(0);

    const partition = topic?.partitions.find((p) => p.logEndOffset === 10)?.partition ?? -1;
    const page = await workbench.call('broker.messages', {
      topic: 'events',
      partition,
      offset: 8,
      limit: 100,
    });
    expect(page.messages.map((m) => [m.offset, m.key, m.value])).toEqual([
      [8, 'u1', '{"i":8}'],
      [9, 'u1', '{"i":9}'],
    ]);
    expect(page.messages[0]?.headers).toEqual([{ key: 'clickpulse.row', value: '8' }]);
    const missing = await dispatch(workbench, 'broker.messages', { topic: 'nope', partition: 0 });
    expect(missing).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Topic nope has no partition 0.' },
    });

    await producer.disconnect();
    await admin.disconnect();
    expect(await workbench.call('broker.stop', {})).toMatchObject({ state: 'stopped' });
    expect(statuses).toEqual(['starting', 'running', 'stopping', 'stopped']);
  });

  it('names a taken port and offers a free one', async () => {
    const { workbench, dispose } = await testWorkbench();
    disposers.push(dispose);
    const { server, port } = await occupy();
    disposers.push(() => new Promise((r) => server.close(() => r())));
    const result = await dispatch(workbench, 'broker.start', { port });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const message = result.ok ? '' : result.error.message;
    expect(message).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    const status = await workbench.call('broker.status', {});
    expect(status.state).toBe('failed');
    expect(status.freePort).toBeGreaterThan(port);
    expect(message).toContain(`Port ${status.freePort} is free`);
  });

  it('clickpulse broker refuses a taken port with the same message', async () => {
    const { server, port } = await occupy();
    disposers.push(() => new Promise((r) => server.close(() => r())));
    const { code, err } = await runCli([
      'broker',
      '--port',
      String(port),
      '--data',
      '/tmp/clickpulse-unused-broker',
    ]);
    expect(code).toBe(2);
    expect(err).toContain(`Port ${port} on 127.0.0.1 is already in use`);
  });
});
