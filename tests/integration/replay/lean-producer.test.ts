import type { ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplayOptions, type ReplayProgress } from '../../../pipeline/contract';
import { CheckpointStore } from '../../../pipeline/replay/run/checkpoint';
import { systemClock } from '../../../pipeline/replay/run/pacer';
import { ReplayProducer } from '../../../pipeline/replay/run/replay-producer';
import { ReplayRun } from '../../../pipeline/replay/run/replay-run';
import { spawnBrokerCli } from '../../helpers/broker';
import { run } from '../../helpers/exec';
import { tempDir } from '../../helpers/temp';
import { repoRoot } from '../../helpers/workbench';

// The lean producer against `clickpulse broker` in its own process, reached as an external cluster
// (--brokers), and read back by librdkafka (kcat) and kafka-python, which checks every batch's CRC.
const SAMPLE = join(repoRoot, 'resources', 'rees46-2019-oct-head1000.csv');
const READ_TOPIC = join(repoRoot, 'tests', 'fixtures', 'read-topic.py');
let dir: { path: string; remove: () => Promise<void> };
let broker: { child: ChildProcess; bootstrap: string };

beforeAll(async () => {
  dir = await tempDir('clickpulse-lean-');
  broker = await spawnBrokerCli(join(dir.path, 'broker'));
}, 30_000);
afterAll(async () => {
  if (broker && broker.child.exitCode === null) {
    broker.child.kill('SIGKILL');
    await new Promise((r) => broker.child.once('exit', r));
  }
  await dir?.remove();
});

async function replayInto(topic: string, extra: Partial<ReplayOptions>): Promise<ReplayProgress> {
  const options = ReplayOptions.parse({
    path: SAMPLE,
    topic,
    resume: false,
    brokers: { bootstrap: broker.bootstrap },
    ...extra,
  });
  const replay = new ReplayRun(
    options,
    { bootstrap: broker.bootstrap },
    {
      clock: systemClock,
      checkpoints: new CheckpointStore(join(dir.path, 'checkpoints')),
      openProducer: (target, t, partitions, settings) => ReplayProducer.open(target, t, partitions, settings),
      onProgress: () => undefined,
    },
  );
  return replay.finished;
}

type Record = [partition: number, offset: number, key: string | null, value: string | null, headers: string];

async function kcat(topic: string): Promise<Record[]> {
  const out = await run('kcat', [
    '-C',
    '-b',
    broker.bootstrap,
    '-t',
    topic,
    '-e',
    '-q',
    '-f',
    '%p\\t%o\\t%k\\t%h\\t%s\\n',
  ]);
  expect(out.code, out.stderr).toBe(0);
  return sorted(
    out.stdout
      .trim()
      .split('\n')
      .map((line) => {
        const [p, o, k, h, v] = line.split('\t');
        return [Number(p), Number(o), k ?? null, v ?? null, h ?? ''];
      }),
  );
}

async function kafkaPython(topic: string): Promise<Record[]> {
  const out = await run('/usr/bin/python3', [READ_TOPIC, broker.bootstrap, topic], { timeoutMs: 60_000 });
  expect(out.code, out.stderr).toBe(0);
  return sorted(
    out.stdout
      .trim()
      .split('\n')
      .map((line) => {
        const [p, o, k, v, h] = JSON.parse(line) as [number, number, string, string, [string, string][]];
        return [p, o, k, v, h.map(([hk, hv]) => `${hk}=${hv}`).join(',')];
      }),
  );
}

function sorted(records: Record[]): Record[] {
  return records.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** Bytes the broker keeps on disk for a topic (all partitions' segment files). */
function topicBytes(topic: string): number {
  const root = join(dir.path, 'broker', 'logs');
  let total = 0;
  for (const d of readdirSync(root).filter((n) => n.startsWith(`${topic}-`)))
    for (const f of readdirSync(join(root, d)).filter((n) => n.endsWith('.log')))
      total += statSync(join(root, d, f)).size;
  return total;
}

describe('the lean producer, read back by real clients', () => {
  it('writes what kafkajs writes — same partitions, keys, values and headers — plain and compressed', async () => {
    const reference = await replayInto('ref-kafkajs', { producer: 'kafkajs' });
    expect(reference.state).toBe('completed');
    const expected = await kcat('ref-kafkajs');
    expect(expected).toHaveLength(1000);
    // Lineage: every row once, numbered in file order, with the source id.
    const rows = expected.map((r) => Number(/clickpulse\.row=(\d+)/.exec(r[4])?.[1]));
    expect(new Set(rows).size).toBe(1000);
    expect(Math.max(...rows)).toBe(1000);
    for (const [, , key, value, headers] of expected) {
      expect(headers).toMatch(
        /^clickpulse\.source=rees46-2019-oct-head1000\.csv@\w{12},clickpulse\.row=\d+$/,
      );
      expect(key).toBe((JSON.parse(value ?? '{}') as { user_id: string }).user_id);
    }
    expect(await kafkaPython('ref-kafkajs')).toEqual(expected);

    for (const compression of ['none', 'lz4', 'gzip'] as const) {
      const topic = `lean-${compression}`;
      const done = await replayInto(topic, { producer: 'lean', compression });
      expect(done.state, done.error ?? '').toBe('completed');
      expect(done.rowsSent).toBe(1000);
      expect(await kcat(topic), `kcat reads ${topic}`).toEqual(expected);
      expect(await kafkaPython(topic), `kafka-python reads ${topic}`).toEqual(expected);
    }
    // The codecs really ran: compressed batches are a fraction of the plain ones on the broker's disk.
    expect(topicBytes('lean-lz4')).toBeLessThan(topicBytes('lean-none') / 2);
    expect(topicBytes('lean-gzip')).toBeLessThan(topicBytes('lean-none') / 2);
  }, 120_000);
});
