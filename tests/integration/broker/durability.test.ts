import { closeSync, ftruncateSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { Broker } from '../../../pipeline/broker/broker';
import { brokerConfig } from '../../../pipeline/broker/config';
import { FAST_GROUPS, spawnBrokerCli, startTestBroker } from '../../helpers/broker';
import { tempDir } from '../../helpers/temp';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const quiet = (bootstrap: string) =>
  new Kafka({
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 2, initialRetryTime: 100 },
  });

/** Every value of a topic, read from the beginning by a throwaway consumer. */
async function readAll(bootstrap: string, topic: string, expectAtLeast: number): Promise<string[]> {
  const consumer = quiet(bootstrap).consumer({ groupId: `reader-${Math.random()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const values: string[] = [];
  await consumer.run({
    eachMessage: async ({ message }) => void values.push(message.value?.toString() ?? ''),
  });
  const end = Date.now() + 20_000;
  let last = -1;
  while (Date.now() < end && (values.length < expectAtLeast || values.length !== last)) {
    last = values.length;
    await new Promise((r) => setTimeout(r, 300));
  }
  await consumer.disconnect();
  return values;
}

describe('broker durability', () => {
  it('keeps every message and every committed group offset across a restart', async () => {
    const t = await startTestBroker();
    cleanups.push(t.remove);
    const kafka = quiet(t.bootstrap);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'kept', numPartitions: 3 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'kept',
      messages: Array.from({ length: 3000 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    });
    await producer.disconnect();
    await admin.setOffsets({
      groupId: 'kept-group',
      topic: 'kept',
      partitions: [0, 1, 2].map((partition) => ({ partition, offset: '7' })),
    });
    await admin.disconnect();
    const before = t.broker.topics();

    await t.restart();
    expect(t.broker.topics()).toEqual(before);
    const admin2 = quiet(t.bootstrap).admin();
    await admin2.connect();
    const offsets = await admin2.fetchOffsets({ groupId: 'kept-group', topics: ['kept'] });
    expect(offsets[0]?.partitions.map((p) => p.offset)).toEqual(['7', '7', '7']);
    await admin2.disconnect();
    const values = await readAll(t.bootstrap, 'kept', 3000);
    expect(new Set(values)).toEqual(new Set(Array.from({ length: 3000 }, (_, i) => `v${i}`)));
  });

  it('after SIGKILL mid-produce, and then a torn and corrupt tail, serves everything acknowledged before it', async () => {
    const dir = await tempDir('clickpulse-crash-');
    cleanups.push(dir.remove);
    const child = await spawnBrokerCli(dir.path);
    const kafka = quiet(child.bootstrap);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'crash', numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer({ retry: { retries: 0 } });
    await producer.connect();
    let acked = 0;
    const producing = (async () => {
      for (let n = 0; ; n += 100) {
        await producer.send({
          topic: 'crash',
          acks: -1,
          messages: Array.from({ length: 100 }, (_, i) => ({ value: `m${n + i}` })),
        });
        acked = n + 100;
      }
    })().catch(() => undefined);
    const waitUntil = Date.now() + 60_000; // bounded: a dead broker must not leave this loop spinning
    while (acked < 5000 && child.child.exitCode === null && Date.now() < waitUntil) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(acked).toBeGreaterThanOrEqual(5000);
    const exited = new Promise((r) => child.child.once('exit', r));
    child.child.kill('SIGKILL');
    await exited;
    await producing;
    await producer.disconnect().catch(() => undefined);
    const ackedAtKill = acked;

    // 1. Restart after the kill: every acknowledged message is there, in order.
    const config = brokerConfig({ ...FAST_GROUPS, dataDir: dir.path, port: 0 });
    let broker = await Broker.start(config);
    let bootstrap = `127.0.0.1:${broker.address.port}`;
    const afterKill = await readAll(bootstrap, 'crash', ackedAtKill);
    expect(afterKill.length).toBeGreaterThanOrEqual(ackedAtKill);
    expect(afterKill.slice(0, ackedAtKill)).toEqual(Array.from({ length: ackedAtKill }, (_, i) => `m${i}`));
    const endAfterKill = afterKill.length;
    await broker.stop();

    // 2. Tear the last batch in half, then append garbage: recovery cuts back to the last whole batch.
    const partitionDir = join(dir.path, 'logs', 'crash-0');
    const segment = join(
      partitionDir,
      readdirSync(partitionDir)
        .filter((f) => f.endsWith('.log'))
        .sort()
        .at(-1) as string,
    );
    const size = statSync(segment).size;
    const fd = openSync(segment, 'r+');
    ftruncateSync(fd, size - 500); // a 100-message batch is ~1.4 kB: this tears the last one
    writeSync(fd, Buffer.alloc(300, 0xab), 0, 300, size - 500);
    closeSync(fd);

    broker = await Broker.start(config);
    bootstrap = `127.0.0.1:${broker.address.port}`;
    const recovered = broker.topics()[0]?.partitions[0];
    expect(recovered?.logEndOffset).toBe(endAfterKill - 100);
    const afterTear = await readAll(bootstrap, 'crash', endAfterKill - 100);
    expect(afterTear).toEqual(Array.from({ length: endAfterKill - 100 }, (_, i) => `m${i}`));

    // 3. The recovered log takes new writes after the cut.
    const p2 = quiet(bootstrap).producer();
    await p2.connect();
    const [meta] = await p2.send({ topic: 'crash', messages: [{ value: 'after' }] });
    expect(meta?.baseOffset).toBe(String(endAfterKill - 100));
    await p2.disconnect();
    await broker.stop();
  }, 120_000);
});
