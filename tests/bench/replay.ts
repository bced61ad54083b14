/**
 * bench:replay — generate REES46-shaped rows, replay them at max speed into `clickpulse broker` (its own
 * process) with the project's lean producer (plain and lz4) and with kafkajs (`--producer kafkajs`), then
 * kcat producing the same rows as JSON lines into the same broker. Prints rows/s, the lean producer's rate as
 * a share of kcat's (target ≥ 50 %), and CPU (user+sys, from /usr/bin/time) per event of the producing
 * process and of the broker. ROWS=… overrides (default 1M); SKIP_KAFKAJS=1 leaves the slow kafkajs run out.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnBrokerCli } from '../helpers/broker';
import { builtCli } from '../helpers/cli';
import { run } from '../helpers/exec';
import { tempDir } from '../helpers/temp';
import { withLakeDb } from '../../pipeline/lake/duckdb';
import { ensureTopics, kafkaClient } from '../../pipeline/kafka';
import { LeanProducer } from '../../pipeline/kafka/lean-producer';
import { Lineage } from '../../pipeline/kafka/record-batch-builder';

/** The lean producer alone, in this process, on the same ready JSON lines kcat sends: the like-for-like figure. */
async function leanAlone(bootstrap: string, file: string) {
  const target = { bootstrap };
  await ensureTopics(kafkaClient(target, 'bench'), [{ topic: 'bench-lean-alone', partitions: 3 }]);
  const text = readFileSync(file, 'utf8');
  const brokerBefore = brokerCpu();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const producer = await LeanProducer.open(target, ['bench-lean-alone']);
  const lineage = new Lineage('events.jsonl@bench');
  const inFlight = new Set<Promise<void>>();
  let row = 0;
  for (let at = 0; at < text.length;) {
    const tab = text.indexOf('\t', at);
    const end = text.indexOf('\n', tab);
    producer.appendWithLineage(
      'bench-lean-alone',
      text.slice(at, tab),
      text.slice(tab + 1, end),
      lineage,
      ++row,
    );
    at = end + 1;
    if (producer.full || producer.bufferedBytes >= 1024 * 1024) {
      const sent: Promise<void> = producer.flush().finally(() => inFlight.delete(sent));
      inFlight.add(sent);
      while (inFlight.size >= 3) await Promise.race(inFlight);
    }
  }
  await producer.flush();
  await Promise.all(inFlight);
  producer.close();
  const used = process.cpuUsage(cpu0);
  return {
    wall: (performance.now() - started) / 1000,
    cpu: (used.user + used.system) / 1e6,
    brokerCpu: brokerCpu() - brokerBefore,
  };
}

const rows = Number(process.env.ROWS ?? 1_000_000);
const dir = await tempDir('clickpulse-bench-replay-');
const broker = await spawnBrokerCli(join(dir.path, 'broker'));
const brokerPid = broker.child.pid as number;

/** CPU seconds (user+sys) the broker process has used so far, from /proc. */
function brokerCpu(): number {
  const fields = readFileSync(`/proc/${brokerPid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Runs a producing command under /usr/bin/time: wall seconds, its CPU seconds, the broker's CPU seconds. */
async function timed(cmd: string, args: string[]) {
  const brokerBefore = brokerCpu();
  const started = performance.now();
  const out = await run('/usr/bin/time', ['-f', 'CPU %U %S', cmd, ...args], { timeoutMs: 900_000 });
  const wall = (performance.now() - started) / 1000;
  if (out.code !== 0) throw new Error(`${cmd} failed: ${out.stderr}`);
  const [, user, sys] = /CPU ([\d.]+) ([\d.]+)/.exec(out.stderr) ?? [];
  return { wall, cpu: Number(user) + Number(sys), brokerCpu: brokerCpu() - brokerBefore, out };
}

const results = new Map<string, number>();
function report(what: string, r: { wall: number; cpu: number; brokerCpu: number }) {
  results.set(what, rows / r.wall);
  console.log(
    `${what.padEnd(24)} ${rows.toLocaleString('en-US')} rows in ${r.wall.toFixed(1)} s: ` +
      `${Math.round(rows / r.wall).toLocaleString('en-US')} rows/s; CPU/event ` +
      `${((r.cpu * 1e6) / rows).toFixed(1)} µs producer (DuckDB read included for replays), ` +
      `${((r.brokerCpu * 1e6) / rows).toFixed(1)} µs broker`,
  );
}

try {
  const csv = join(dir.path, 'events.csv');
  execFileSync(process.execPath, [builtCli, 'generate', '--rows', String(rows), '--seed', '7', '--out', csv]);
  const replay = (topic: string, ...flags: string[]) =>
    timed(process.execPath, [
      builtCli,
      'replay',
      csv,
      '--brokers',
      broker.bootstrap,
      '--topic',
      topic,
      '--config',
      join(dir.path, `config-${topic}`),
      ...flags,
    ]);

  report('replay, lean producer', await replay('bench-lean'));
  report('replay, lean + lz4', await replay('bench-lz4', '--compression', 'lz4'));
  if (!process.env.SKIP_KAFKAJS)
    report('replay, kafkajs', await replay('bench-kafkajs', '--producer', 'kafkajs'));

  // The same rows as the canonical JSON lines the replay sends, keyed by user_id, for kcat.
  const lines = join(dir.path, 'events.jsonl');
  await withLakeDb((db) =>
    db.run(`COPY (
      SELECT user_id || chr(9) || json_object('event_time', strftime(event_time::TIMESTAMPTZ, '%Y-%m-%dT%H:%M:%S.%gZ'),
        'event_type', event_type, 'product_id', product_id, 'category_id', category_id, 'category_code', category_code,
        'brand', brand, 'price', price::DECIMAL(18,2), 'user_id', user_id, 'user_session', user_session, 'order_id', NULL)::VARCHAR AS line
      FROM read_csv('${csv}', all_varchar = true)
    ) TO '${lines}' (FORMAT csv, HEADER false, QUOTE '', ESCAPE '')`),
  );
  report(
    'kcat (librdkafka)',
    await timed('kcat', [
      '-b',
      broker.bootstrap,
      '-P',
      '-t',
      'bench-kcat',
      '-K',
      '\t',
      '-X',
      'acks=all',
      '-l',
      lines,
    ]),
  );
  report('lean producer alone', await leanAlone(broker.bootstrap, lines));
  const kcat = results.get('kcat (librdkafka)') ?? 1;
  const share = (name: string) => `${((100 * (results.get(name) ?? 0)) / kcat).toFixed(0)} %`;
  console.log(
    `vs kcat's rate (target ≥ 50 %): lean producer alone ${share('lean producer alone')} (same ready JSON lines); ` +
      `whole replay ${share('replay, lean producer')} (it also reads and normalizes the CSV with DuckDB).`,
  );
} finally {
  broker.child.kill('SIGTERM');
  await new Promise((r) => broker.child.once('exit', r));
  await dir.remove();
}
