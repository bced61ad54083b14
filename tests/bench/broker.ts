/**
 * bench:broker — 1M messages of ~200 bytes into the embedded broker (the built `clickpulse broker`, its own
 * process), produced by kafkajs and by kcat in one run, then consumed back by each. MESSAGES=… overrides.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { spawnBrokerCli } from '../helpers/broker';
import { run } from '../helpers/exec';
import { tempDir } from '../helpers/temp';

const total = Number(process.env.MESSAGES ?? 1_000_000);
const SIZE = 200;
const dir = await tempDir('clickpulse-bench-broker-');
const broker = await spawnBrokerCli(join(dir.path, 'data'));
const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, clientId: 'bench' });

const value = (i: number) => {
  const head = `{"seq":${i},"event_type":"view","user_id":"${500000000 + (i % 100000)}","pad":"`;
  return head + 'x'.repeat(SIZE - head.length - 2) + '"}';
};

interface Figure {
  what: string;
  seconds: number;
  messages: number;
}
const figures: Figure[] = [];
const report = (f: Figure) => {
  figures.push(f);
  const mb = (f.messages * SIZE) / 1e6 / f.seconds;
  console.log(
    `${f.what.padEnd(18)} ${f.messages.toLocaleString('en-US')} msgs in ${f.seconds.toFixed(1)} s: ` +
      `${Math.round(f.messages / f.seconds).toLocaleString('en-US')} msgs/s, ${mb.toFixed(1)} MB/s`,
  );
};

try {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: ['bench-kafkajs', 'bench-kcat'].map((topic) => ({ topic, numPartitions: 3 })),
  });
  await admin.disconnect();

  // kafkajs: 4 sends of 5,000 messages in flight at a time, acks=all.
  const producer = kafka.producer();
  await producer.connect();
  let started = performance.now();
  const CHUNK = 5000;
  let next = 0;
  const lane = async () => {
    while (next < total) {
      const from = next;
      next += CHUNK;
      const n = Math.min(CHUNK, total - from);
      await producer.send({
        topic: 'bench-kafkajs',
        acks: -1,
        messages: Array.from({ length: n }, (_, i) => ({
          key: String((from + i) % 100000),
          value: value(from + i),
        })),
      });
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  report({ what: 'kafkajs produce', seconds: (performance.now() - started) / 1000, messages: total });
  await producer.disconnect();

  // kcat (librdkafka): the same messages from a file, keyed, acks=all.
  const file = join(dir.path, 'messages.txt');
  writeFileSync(
    file,
    Array.from({ length: total }, (_, i) => `${i % 100000}\t${value(i)}`).join('\n') + '\n',
  );
  started = performance.now();
  const produced = await run(
    'kcat',
    ['-b', broker.bootstrap, '-P', '-t', 'bench-kcat', '-K', '\t', '-X', 'acks=all', '-l', file],
    { timeoutMs: 600_000 },
  );
  if (produced.code !== 0) throw new Error(`kcat produce failed: ${produced.stderr}`);
  report({ what: 'kcat produce', seconds: (performance.now() - started) / 1000, messages: total });

  // Consume everything back: kafkajs in a group, kcat to end of partitions.
  const consumer = kafka.consumer({ groupId: 'bench', maxBytes: 50 * 1024 * 1024, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'bench-kafkajs', fromBeginning: true });
  let consumed = 0;
  started = performance.now();
  await new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: true,
      eachBatch: async ({ batch }) => {
        consumed += batch.messages.length;
        if (consumed >= total) resolve();
      },
    });
  });
  report({ what: 'kafkajs consume', seconds: (performance.now() - started) / 1000, messages: consumed });
  await consumer.disconnect();

  started = performance.now();
  const read = await run(
    'kcat',
    ['-b', broker.bootstrap, '-C', '-t', 'bench-kcat', '-e', '-q', '-o', 'beginning', '-f', '.'],
    {
      timeoutMs: 600_000,
    },
  );
  if (read.code !== 0) throw new Error(`kcat consume failed: ${read.stderr}`);
  report({
    what: 'kcat consume',
    seconds: (performance.now() - started) / 1000,
    messages: read.stdout.length,
  });

  const rate = (what: string) => {
    const f = figures.find((x) => x.what === what) as Figure;
    return f.messages / f.seconds;
  };
  console.log(`kcat/kafkajs produce ratio: ${(rate('kcat produce') / rate('kafkajs produce')).toFixed(2)}`);
  console.log(`kcat/kafkajs consume ratio: ${(rate('kcat consume') / rate('kafkajs consume')).toFixed(2)}`);
} finally {
  broker.child.kill('SIGTERM');
  await new Promise((r) => broker.child.once('exit', r));
  await dir.remove();
}
