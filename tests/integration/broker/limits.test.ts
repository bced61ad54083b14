import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../helpers/broker';
import { startChild } from '../../helpers/children';
import { RawKafka } from '../../helpers/raw-kafka';
import { buildValuesBatch } from '../../helpers/record-batches';
import { repoRoot } from '../../helpers/repo-root';
import { tempDir } from '../../helpers/temp';

// Issue 15 item 7: idle and slow clients, too many clients, clients that together announce more bytes than
// the process should hold, a batch lying about its record count, and a topic name at Kafka's length limit.
const crc32c = createRequire(import.meta.url)('crc-32/crc32c') as { buf(b: Uint8Array): number };

type Started = TestBroker & { remove: () => Promise<void> };
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function broker(overrides: Parameters<typeof startTestBroker>[0]): Promise<Started> {
  const t = await startTestBroker(overrides);
  cleanups.push(() => t.remove());
  return t;
}

async function raw(port: number): Promise<RawKafka> {
  const r = await RawKafka.open(port);
  cleanups.push(() => r.close());
  return r;
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const apiVersions = () => RawKafka.frame(18, 0, 1, Buffer.alloc(0));

describe('connection timeouts', () => {
  it('closes a connection idle past connections.max.idle.ms, with a log line', async () => {
    const t = await broker({ connectionsMaxIdleMs: 300 });
    const client = await raw(t.port);
    expect(await client.request(18, 0, Buffer.alloc(0))).not.toBeNull();
    expect(await client.next(10_000)).toBeNull();
    expect(t.logs.join('\n')).toMatch(/idle for more than 300 ms \(connections\.max\.idle\.ms\)/);
  });

  it('closes a client trickling one byte at a time once its request outlives the partial-frame timeout', async () => {
    const t = await broker({ partialFrameTimeoutMs: 300, connectionsMaxIdleMs: 60_000 });
    const client = await raw(t.port);
    const frame = RawKafka.frame(3, 1, 1, Buffer.from([0, 0, 0, 0]));
    let sent = 0;
    // Bounded: at most the frame's bytes, one every 50 ms, and never after the close.
    const timer = setInterval(() => {
      if (client.closed || sent >= frame.length - 1) return clearInterval(timer);
      client.write(frame.subarray(sent, sent + 1));
      sent++;
    }, 50);
    cleanups.push(() => clearInterval(timer));
    expect(await client.next(10_000)).toBeNull();
    expect(sent).toBeLessThan(frame.length - 1);
    expect(t.logs.join('\n')).toMatch(/request not completed within 300 ms/);
  });

  it('closes a client that sent half of a length prefix and then nothing', async () => {
    const t = await broker({ partialFrameTimeoutMs: 300, connectionsMaxIdleMs: 60_000 });
    const client = await raw(t.port);
    client.write(Buffer.from([0, 0]));
    expect(await client.next(10_000)).toBeNull();
    expect(t.logs.join('\n')).toMatch(/request not completed within 300 ms \(2 bytes received\)/);
  });
});

describe('max.connections', () => {
  it('refuses connections past the maximum and takes new ones once others close', async () => {
    const t = await broker({ maxConnections: 3 });
    const clients = [await raw(t.port), await raw(t.port), await raw(t.port)];
    for (const c of clients) expect(await c.request(18, 0, Buffer.alloc(0))).not.toBeNull();
    const fourth = await raw(t.port);
    fourth.write(apiVersions());
    expect(await fourth.next()).toBeNull();
    expect(t.logs.join('\n')).toMatch(
      /refusing a connection from 127\.0\.0\.1: 3 connections are open \(max\.connections 3\)/,
    );
    clients[0]?.close();
    await until('the broker to see the close', () => t.broker.stats().connections === 2);
    const fifth = await raw(t.port);
    expect(await fifth.request(18, 0, Buffer.alloc(0))).not.toBeNull();
  });
});

/** A size prefix announcing `size` bytes, then `sent` bytes of them. */
function partialFrame(size: number, sent: number): Buffer {
  const b = Buffer.alloc(4 + sent);
  b.writeInt32BE(size, 0);
  return b;
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

describe('the budget of buffered request bytes', () => {
  it('holds at most the budget when 10 clients each send most of a maximum-size frame', async () => {
    const MiB = 1024 * 1024;
    const t = await broker({ maxFrameBytes: MiB, maxBufferedBytes: 2 * MiB, partialFrameTimeoutMs: 60_000 });
    const sockets = await Promise.all(Array.from({ length: 10 }, () => openSocket(t.port)));
    for (const s of sockets) {
      s.on('error', () => undefined);
      cleanups.push(() => s.destroy());
    }
    const payload = partialFrame(MiB, 0.9 * MiB);
    for (const s of sockets) s.write(payload);
    await until('8 connections to wait for room', () => t.broker.buffered.waiting === 8);
    await until('the 2 admitted requests to arrive', () => t.broker.buffered.held >= 1.8 * MiB).catch((e) => {
      throw new Error(`${String(e)}: ${JSON.stringify(t.broker.buffered)}`);
    });
    const { reserved, held, capacity } = t.broker.buffered;
    expect(capacity).toBe(2 * MiB);
    expect(reserved).toBeLessThanOrEqual(capacity);
    // Paused connections hold at most what was read before the pause (one socket read each).
    expect(held).toBeLessThan(capacity + 10 * 64 * 1024);
    expect(t.logs.filter((l) => l.includes('pausing reads from')).length).toBe(8);
    // One admitted client goes away: its room passes to the next waiting client.
    sockets.find((s) => s.bytesWritten >= 0.9 * MiB)?.destroy();
    await until('a waiting connection to be admitted', () => t.broker.buffered.waiting === 7);
  });

  it('keeps the broker process far below 1 GB when 10 clients each send 90 MB of a 100 MiB frame', async () => {
    const dir = await tempDir('clickpulse-limits-');
    cleanups.push(() => dir.remove());
    const script = join(repoRoot, 'tests', 'fixtures', 'broker-process.ts');
    // Registered with the shared helper: ended after the test even when it fails or times out.
    const child = startChild(process.execPath, ['--import', 'tsx', script, dir.path], { cwd: repoRoot });
    const bootstrap = await child.line();
    const port = Number(bootstrap.split(':')[1]);
    const sockets = await Promise.all(Array.from({ length: 10 }, () => openSocket(port)));
    let flushed = 0;
    const payload = partialFrame(100 * 1024 * 1024, 90_000_000);
    for (const s of sockets) {
      s.on('error', () => undefined);
      cleanups.push(() => s.destroy());
      s.write(payload, () => flushed++);
    }
    await until(
      '8 connections paused and 2 admitted ones received',
      () => {
        return (child.stderr().match(/pausing reads from/g) ?? []).length === 8 && flushed >= 2;
      },
      120_000,
    );
    const status = readFileSync(`/proc/${child.child.pid}/status`, 'utf8');
    const peakMb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
    expect(peakMb).toBeGreaterThan(0);
    expect(peakMb).toBeLessThan(700);
  }, 180_000);
});

function produceBody(topic: string, records: Buffer): Buffer {
  const name = Buffer.from(topic);
  const head = Buffer.alloc(2 + 2 + 4 + 4 + 2);
  head.writeInt16BE(-1, 0);
  head.writeInt16BE(-1, 2);
  head.writeInt32BE(5000, 4);
  head.writeInt32BE(1, 8);
  head.writeInt16BE(name.length, 12);
  const part = Buffer.alloc(12);
  part.writeInt32BE(1, 0);
  part.writeInt32BE(0, 4);
  part.writeInt32BE(records.length, 8);
  return Buffer.concat([head, name, part, records]);
}

function produceAnswer(frame: Buffer): { errorCode: number; baseOffset: number } {
  const at = 10 + frame.readInt16BE(8) + 8;
  return { errorCode: frame.readInt16BE(at), baseOffset: Number(frame.readBigInt64BE(at + 2)) };
}

/** A batch whose header claims `count` records (and a matching last offset delta), CRC recomputed so it is valid. */
function lyingBatch(count: number, attributes = 0): Buffer {
  const batch = buildValuesBatch('lie', 1);
  batch.writeInt16BE(attributes, 21);
  batch.writeInt32BE(count - 1, 23);
  batch.writeInt32BE(count, 57);
  batch.writeUInt32BE(crc32c.buf(batch.subarray(21)) >>> 0, 17);
  return batch;
}

describe('record counts', () => {
  it('refuses a valid-CRC batch claiming 2^31−1 records with CORRUPT_MESSAGE, and the offset does not move', async () => {
    const t = await broker({});
    const admin = new Kafka({ brokers: [t.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'lies', numPartitions: 1 }] });
    await admin.disconnect();
    const client = await raw(t.port);
    const first = produceAnswer(
      (await client.request(0, 7, produceBody('lies', buildValuesBatch('ok', 3)))) as Buffer,
    );
    expect(first).toEqual({ errorCode: 0, baseOffset: 0 });
    for (const batch of [lyingBatch(2 ** 31 - 1), lyingBatch(2 ** 31 - 1, 1), lyingBatch(100)]) {
      const answer = produceAnswer((await client.request(0, 7, produceBody('lies', batch), 2)) as Buffer);
      expect(answer.errorCode).toBe(2);
    }
    expect(t.broker.topics().find((x) => x.name === 'lies')?.partitions[0]?.logEndOffset).toBe(3);
    const next = produceAnswer(
      (await client.request(0, 7, produceBody('lies', buildValuesBatch('ok', 2)), 3)) as Buffer,
    );
    expect(next).toEqual({ errorCode: 0, baseOffset: 3 });
  });
});

describe('topic names at the 249-character limit', () => {
  it('deletes such a topic, and it stays deleted after a restart', async () => {
    const t = await broker({});
    const name = 'x'.repeat(249);
    const kafka = new Kafka({ brokers: [t.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    await admin.createTopics({ topics: [{ topic: name, numPartitions: 2 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: name, messages: [{ value: 'v' }] });
    await producer.disconnect();
    await admin.deleteTopics({ topics: [name] });
    expect(await admin.listTopics()).not.toContain(name);
    await admin.disconnect();
    await t.restart();
    expect(t.broker.topics().map((x) => x.name)).not.toContain(name);
    expect(readdirSync(join(t.dataDir, 'logs')).filter((d) => d.startsWith('xxx'))).toEqual([]);
  });
});
