/**
 * bench:broker — 1M messages of ~200 bytes into the embedded broker (the built `clickpulse broker`, its own
 * process), produced by kafkajs, @platformatic/kafka and kcat in one run, then consumed back by kafkajs and
 * kcat; then one Metadata request for 500 topics × 10 partitions (TOPICS=… overrides), timed as kcat and
 * @platformatic/kafka ask for it. Each figure carries the broker process's CPU per message. MESSAGES=… overrides.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Admin, Producer, stringSerializers } from '@platformatic/kafka';
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
  /** The broker process's user+sys CPU during the step, in seconds. */
  brokerCpu: number;
}

/** user+sys CPU seconds of a process, from /proc (clock ticks of 1/100 s on Linux). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
const brokerPid = broker.child.pid as number;
let cpuAtStart = 0;
/** Starts the clock of one step: wall time and the broker's CPU. */
const begin = (): number => {
  cpuAtStart = cpuSeconds(brokerPid);
  return performance.now();
};
const figures: Figure[] = [];
const report = (f: Figure) => {
  figures.push(f);
  const mb = (f.messages * SIZE) / 1e6 / f.seconds;
  console.log(
    `${f.what.padEnd(20)} ${f.messages.toLocaleString('en-US')} msgs in ${f.seconds.toFixed(1)} s: ` +
      `${Math.round(f.messages / f.seconds).toLocaleString('en-US')} msgs/s, ${mb.toFixed(1)} MB/s, ` +
      `broker CPU ${((f.brokerCpu / f.messages) * 1e6).toFixed(2)} µs/msg`,
  );
};

try {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: ['bench-kafkajs', 'bench-kcat', 'bench-platformatic'].map((topic) => ({
      topic,
      numPartitions: 3,
    })),
  });
  await admin.disconnect();

  // kafkajs: 4 sends of 5,000 messages in flight at a time, acks=all.
  const producer = kafka.producer();
  await producer.connect();
  let started = begin();
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
  report({
    what: 'kafkajs produce',
    seconds: (performance.now() - started) / 1000,
    brokerCpu: cpuSeconds(brokerPid) - cpuAtStart,
    messages: total,
  });
  await producer.disconnect();

  // @platformatic/kafka (flexible versions only: Produce v11): the same lanes and chunk size, acks=all.
  const plat = new Producer({
    clientId: 'bench-plat',
    bootstrapBrokers: [broker.bootstrap],
    serializers: stringSerializers,
  });
  next = 0;
  started = begin();
  const platLane = async () => {
    while (next < total) {
      const from = next;
      next += CHUNK;
      const n = Math.min(CHUNK, total - from);
      await plat.send({
        acks: -1,
        messages: Array.from({ length: n }, (_, i) => ({
          topic: 'bench-platformatic',
          key: String((from + i) % 100000),
          value: value(from + i),
        })),
      });
    }
  };
  await Promise.all([platLane(), platLane(), platLane(), platLane()]);
  report({
    what: 'platformatic produce',
    seconds: (performance.now() - started) / 1000,
    brokerCpu: cpuSeconds(brokerPid) - cpuAtStart,
    messages: total,
  });
  await plat.close();

  // kcat (librdkafka): the same messages from a file, keyed, acks=all.
  const file = join(dir.path, 'messages.txt');
  writeFileSync(
    file,
    Array.from({ length: total }, (_, i) => `${i % 100000}\t${value(i)}`).join('\n') + '\n',
  );
  started = begin();
  const produced = await run(
    'kcat',
    ['-b', broker.bootstrap, '-P', '-t', 'bench-kcat', '-K', '\t', '-X', 'acks=all', '-l', file],
    { timeoutMs: 600_000 },
  );
  if (produced.code !== 0) throw new Error(`kcat produce failed: ${produced.stderr}`);
  report({
    what: 'kcat produce',
    seconds: (performance.now() - started) / 1000,
    brokerCpu: cpuSeconds(brokerPid) - cpuAtStart,
    messages: total,
  });

  // Consume everything back: kafkajs in a group, kcat to end of partitions.
  const consumer = kafka.consumer({ groupId: 'bench', maxBytes: 50 * 1024 * 1024, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'bench-kafkajs', fromBeginning: true });
  let consumed = 0;
  started = begin();
  await new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: true,
      eachBatch: async ({ batch }) => {
        consumed += batch.messages.length;
        if (consumed >= total) resolve();
      },
    });
  });
  report({
    what: 'kafkajs consume',
    seconds: (performance.now() - started) / 1000,
    brokerCpu: cpuSeconds(brokerPid) - cpuAtStart,
    messages: consumed,
  });
  await consumer.disconnect();

  started = begin();
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
    brokerCpu: cpuSeconds(brokerPid) - cpuAtStart,
    messages: read.stdout.length,
  });

  // Metadata for many topics: one answer of ~150 KB, as kcat -L and @platformatic/kafka ask for it.
  const topicCount = Number(process.env.TOPICS ?? 500);
  const platAdmin = new Admin({ clientId: 'bench-meta', bootstrapBrokers: [broker.bootstrap] });
  try {
    const names = Array.from({ length: topicCount }, (_, i) => `meta-${i}`);
    for (let i = 0; i < names.length; i += 100)
      await platAdmin.createTopics({ topics: names.slice(i, i + 100), partitions: 10, replicas: 1 });
    const times = async (what: string, once: () => Promise<unknown>) => {
      await once();
      const n = 20;
      const cpu0 = cpuSeconds(brokerPid);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await once();
      const ms = (performance.now() - t0) / n;
      const cpuMs = ((cpuSeconds(brokerPid) - cpu0) / n) * 1000;
      console.log(
        `${what.padEnd(20)} ${topicCount} topics × 10 partitions: ${ms.toFixed(1)} ms a request, broker CPU ${cpuMs.toFixed(1)} ms`,
      );
    };
    await times('metadata platformatic', () => platAdmin.metadata({ topics: names }));
    await times('metadata kcat -L', async () => {
      const meta = await run('kcat', ['-b', broker.bootstrap, '-L', '-J'], { timeoutMs: 60_000 });
      if (meta.code !== 0) throw new Error(`kcat -L failed: ${meta.stderr}`);
    });
  } finally {
    await platAdmin.close();
  }

  const rate = (what: string) => {
    const f = figures.find((x) => x.what === what) as Figure;
    return f.messages / f.seconds;
  };
  console.log(`kcat/kafkajs produce ratio: ${(rate('kcat produce') / rate('kafkajs produce')).toFixed(2)}`);
  console.log(
    `kcat/platformatic produce ratio: ${(rate('kcat produce') / rate('platformatic produce')).toFixed(2)}`,
  );
  console.log(`kcat/kafkajs consume ratio: ${(rate('kcat consume') / rate('kafkajs consume')).toFixed(2)}`);
} finally {
  broker.child.kill('SIGTERM');
  await new Promise((r) => broker.child.once('exit', r));
  await dir.remove();
}
