import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplayOptions } from '../../../pipeline/contract';
import { CheckpointStore } from '../../../pipeline/replay/run/checkpoint';
import { ReplayProducer } from '../../../pipeline/replay/run/replay-producer';
import { systemClock } from '../../../pipeline/replay/run/pacer';
import { ReplayRun } from '../../../pipeline/replay/run/replay-run';
import { startTestBroker, type TestBroker } from '../../helpers/broker';
import { run } from '../../helpers/exec';
import { tempDir } from '../../helpers/temp';

const HEADER =
  'event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n';
const row = (i: number) =>
  `2019-10-01 00:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} UTC,view,${1000 + i},2053013555631882655,electronics.smartphone,apple,${i % 500}.99,${500000 + i},sess-${i}\n`;
const rows = (n: number) => Array.from({ length: n }, (_, i) => row(i)).join('');

let t: TestBroker & { remove: () => Promise<void> };
let dir: { path: string; remove: () => Promise<void> };
let kafka: Kafka;

beforeAll(async () => {
  t = await startTestBroker();
  dir = await tempDir('clickpulse-integrity-');
  kafka = new Kafka({ brokers: [t.bootstrap], logLevel: logLevel.NOTHING });
});
afterAll(async () => {
  await t.remove();
  await dir.remove();
});

function replay(options: Partial<ReplayOptions> & { path: string; topic: string }) {
  return new ReplayRun(
    ReplayOptions.parse(options),
    { bootstrap: t.bootstrap },
    {
      clock: systemClock,
      checkpoints: new CheckpointStore(join(dir.path, 'checkpoints')),
      openProducer: (target, topic, partitions) => ReplayProducer.open(target, topic, partitions),
      onProgress: () => undefined,
    },
  ).finished;
}

/** Sum of high-water marks: how many messages the broker acknowledged on the topic. */
async function countOnTopic(topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, p) => n + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** The DLQ records of one source file, read with kcat (headers and values). */
async function dlqOf(fileName: string): Promise<{ line: number | null; reason: string; raw: unknown }[]> {
  const out = await run('kcat', [
    '-b',
    t.bootstrap,
    '-C',
    '-t',
    'clickpulse_events_dlq',
    '-e',
    '-q',
    '-f',
    '%s\\n',
  ]);
  expect(out.code, out.stderr).toBe(0);
  return out.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { source: string; line?: number; reason: string; raw: unknown })
    .filter((m) => m.source.startsWith(`${fileName}@`))
    .map((m) => ({ line: m.line ?? null, reason: m.reason, raw: m.raw }));
}

describe('replay input integrity', () => {
  it('fails a truncated .csv.gz naming the file and byte offset, after acknowledging what came before', async () => {
    const whole = gzipSync(HEADER + rows(20_000));
    const path = join(dir.path, 'cut.csv.gz');
    const cutAt = Math.floor(whole.length * 0.6);
    writeFileSync(path, whole.subarray(0, cutAt));
    const done = await replay({ path, topic: 'cut' });
    expect(done.state).toBe('failed');
    expect(done.error).toContain('cut.csv.gz is truncated');
    expect(done.error).toContain(`at byte ${cutAt.toLocaleString('en-US')}`);
    expect(done.rowsSent).toBeGreaterThan(5_000);
    expect(done.rowsSent).toBeLessThan(20_000);
    // Nothing accepted is lost: every row the run counts as sent is on the topic.
    expect(await countOnTopic('cut')).toBe(done.rowsSent);
  });

  it('fails a gzip whose CRC does not match, and completes the same file when sound', async () => {
    const whole = gzipSync(HEADER + rows(2_000));
    const sound = join(dir.path, 'sound.csv.gz');
    writeFileSync(sound, whole);
    expect(await replay({ path: sound, topic: 'sound' })).toMatchObject({
      state: 'completed',
      rowsSent: 2000,
      error: null,
    });
    const bad = Buffer.from(whole);
    bad[bad.length - 8] = (bad[bad.length - 8] ?? 0) ^ 0xff; // the CRC-32 in the trailer
    const path = join(dir.path, 'crc.csv.gz');
    writeFileSync(path, bad);
    const done = await replay({ path, topic: 'crc' });
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/^crc\.csv\.gz is corrupt at byte [\d,]+ \(incorrect data check\)/);
  });

  it('the CLI exits non-zero on a truncated gzip and says where', async () => {
    const whole = gzipSync(HEADER + rows(3_000));
    const path = join(dir.path, 'cli-cut.csv.gz');
    writeFileSync(path, whole.subarray(0, whole.length - 100));
    const { builtCli } = await import('../../helpers/cli');
    const out = await run(
      process.execPath,
      [builtCli, 'replay', path, '--brokers', t.bootstrap, '--topic', 'cli_cut'],
      {
        timeoutMs: 60_000,
      },
    );
    expect(out.code).toBe(1);
    expect(out.stdout + out.stderr).toContain(`cli-cut.csv.gz is truncated: the gzip stream ends at byte`);
  });

  it('sends a bad JSON line to the DLQ with its true line number and replays the rest', async () => {
    const good = (i: number) =>
      JSON.stringify({
        event_time: '2019-10-01 00:00:01 UTC',
        event_type: 'view',
        product_id: String(i),
        price: 1.5,
        user_id: String(100 + i),
        user_session: 's',
      });
    const path = join(dir.path, 'events.jsonl');
    // Line 3 is blank (skipped), line 5 is not JSON, line 7 is JSON but not an object.
    writeFileSync(
      path,
      [good(1), good(2), '', good(3), '{"event_time": broken', good(4), '[1,2]', good(5)].join('\n') + '\n',
    );
    const done = await replay({ path, topic: 'jsonl' });
    expect(done).toMatchObject({ state: 'completed', rowsSent: 5, rowsRejected: 2, error: null });
    expect(await countOnTopic('jsonl')).toBe(5);
    const dlq = await dlqOf('events.jsonl');
    expect(dlq.map((m) => [m.line, m.reason, m.raw]).sort()).toEqual([
      [5, 'line is not valid JSON', '{"event_time": broken'],
      [7, 'line is not a JSON object', '[1,2]'],
    ]);
  });

  it('sends bad CSV lines to the DLQ with their true line number and replays the rest', async () => {
    const path = join(dir.path, 'lines.csv');
    const body = rows(8).split('\n');
    body.splice(1, 0, 'this,line,is,short'); // line 3 (line 1 is the header)
    body.splice(5, 0, `${row(99).trim()},one,too,many`); // line 7
    writeFileSync(path, HEADER + body.join('\n'));
    const done = await replay({ path, topic: 'lines' });
    expect(done).toMatchObject({ state: 'completed', rowsSent: 8, rowsRejected: 2, error: null });
    expect(await countOnTopic('lines')).toBe(8);
    const dlq = await dlqOf('lines.csv');
    expect(dlq.map((m) => [m.line, m.reason.split(':')[0]]).sort()).toEqual([
      [3, 'MISSING COLUMNS'],
      [7, 'TOO MANY COLUMNS'],
    ]);
    expect(readFileSync(path, 'utf8').split('\n')[2]).toBe('this,line,is,short');
  });
});
