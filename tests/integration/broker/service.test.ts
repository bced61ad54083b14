import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../pipeline/workbench';
import { runCli } from '../../helpers/run-cli';
import { SAMPLE_CSV } from '../../helpers/query-lake';
import { makeTestCerts } from '../../helpers/tls-certs';
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

describe('the secured broker through the Workbench API', () => {
  it('starts with TLS and SASL, says so, and the app replays and streams into it by itself', async () => {
    const { workbench, dir, dispose } = await testWorkbench();
    disposers.push(dispose);
    const certs = await makeTestCerts(dir);
    const users = join(dir, 'users.json');
    writeFileSync(users, JSON.stringify({ users: { analyst: { password: 'pw' } } }));
    const security = {
      host: '127.0.0.1',
      tlsCertFile: certs.cert,
      tlsKeyFile: certs.key,
      saslUsersFile: users,
    };
    const started = await dispatch(workbench, 'broker.start', { port: 0, security });
    expect(started).toMatchObject({
      ok: true,
      value: { state: 'running', tls: true, saslMechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] },
    });
    // The app's own clients log in as its in-memory user over TLS: no password of the user's needed.
    const streaming = await dispatch(workbench, 'stream.start', { topic: 'secured' });
    expect(streaming.ok, JSON.stringify(streaming)).toBe(true);
    const done = new Promise<{ state: string; rowsSent: number; error: string | null }>((resolve) => {
      workbench.subscribe((name, payload) => {
        const p = payload as { state: string; rowsSent: number; error: string | null };
        if (name === 'replay.progress' && ['completed', 'failed', 'stopped'].includes(p.state)) resolve(p);
      });
    });
    const replay = await dispatch(workbench, 'replay.start', {
      path: SAMPLE_CSV,
      topic: 'secured',
      limit: 50,
    });
    expect(replay.ok, JSON.stringify(replay)).toBe(true);
    expect(await done).toMatchObject({ state: 'completed', rowsSent: 50 });
    expect((await workbench.stream.caughtUp()).bronze.rows).toBe(50);
    // A client without credentials is refused.
    const anonymous = new Kafka({
      brokers: [`127.0.0.1:${(started as { value: { port: number } }).value.port}`],
      ssl: { ca: [readFileSync(certs.ca, 'utf8')] },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();
    await expect(anonymous.connect().then(() => anonymous.listTopics())).rejects.toThrow();
    await anonymous.disconnect();
  }, 120_000);

  it('refuses another interface without TLS or SASL, in one sentence', async () => {
    const { workbench, dispose } = await testWorkbench();
    disposers.push(dispose);
    const r = await dispatch(workbench, 'broker.start', { port: 0, security: { host: '0.0.0.0' } });
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).toContain('Refusing to listen on 0.0.0.0');
  });
});
