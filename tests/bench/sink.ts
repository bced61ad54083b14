/**
 * bench:sink — the PostgreSQL sink against a throwaway cluster (tests/helpers/postgres.ts):
 * 1. ROWS generated events (default 1M) replayed into a lake with the built CLI, then
 *    `clickpulse sink postgres --silver --once`: Silver's rows per second through the COPY path, with the
 *    sink's CPU time (user + sys) per million rows beside the wall time;
 * 2. a replay paced at 1,000 events/s (PACED_ROWS, default 30,000) with a continuous sink on its lake:
 *    seconds from each Gold refresh (the file's mtime) to its rows committed in PostgreSQL, p50/p95, and the
 *    sink's CPU over that phase.
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { builtCli } from '../helpers/cli';
import { startTestPostgres } from '../helpers/postgres';
import { tempDir } from '../helpers/temp';
import { cpuSeconds, timedCli } from './timed-cli';

const rows = Number(process.env.ROWS ?? 1_000_000);
const pacedRows = Number(process.env.PACED_ROWS ?? 30_000);
const dir = await tempDir('clickpulse-bench-sink-');
const pg = await startTestPostgres();
const env = { ...process.env, BENCH_PG_PASSWORD: pg.password };

const timed = (args: string[]) => timedCli(args, env);

const sinkArgs = (lake: string, schema: string) => [
  'sink',
  'postgres',
  '--lake',
  lake,
  '--url',
  pg.url(),
  '--schema',
  schema,
  '--password-env',
  'BENCH_PG_PASSWORD',
  '--config',
  join(dir.path, 'config'),
];
const common = (name: string) => [
  '--broker-port',
  '0',
  '--broker-data',
  join(dir.path, `${name}-broker`),
  '--config',
  join(dir.path, `${name}-config`),
];

try {
  const csv = join(dir.path, 'events.csv');
  execFileSync(process.execPath, [
    builtCli,
    'generate',
    '--rows',
    String(rows),
    '--seed',
    '11',
    '--out',
    csv,
  ]);
  const lake = join(dir.path, 'lake');
  await timed(['replay', csv, '--lake', lake, ...common('max')]);

  const once = await timed([...sinkArgs(lake, 'bench'), '--silver', '--once']);
  const silverRows = Number(await pg.psql('SELECT count(*) FROM bench.silver_events'));
  const goldRows = Number(
    await pg.psql(`SELECT sum(rows) FROM bench._clickpulse_sink WHERE source = 'gold'`),
  );
  const perSec = (n: number) => Math.round(n / once.seconds).toLocaleString('en-US');
  console.log(
    `COPY path: Silver ${silverRows.toLocaleString('en-US')} rows + Gold ${goldRows.toLocaleString('en-US')} rows in ${once.seconds.toFixed(1)} s wall (process start included) = ${perSec(silverRows + goldRows)} rows/s; sink CPU ${once.cpu.toFixed(1)} s = ${((once.cpu / (silverRows + goldRows)) * 1e6).toFixed(2)} s per million rows (PostgreSQL's own CPU not included)`,
  );
  const again = await timed([...sinkArgs(lake, 'bench'), '--silver', '--once']);
  console.log(
    `second run, nothing changed: ${again.seconds.toFixed(1)} s wall, ${again.cpu.toFixed(1)} s CPU`,
  );

  const pacedLake = join(dir.path, 'paced-lake');
  const sink = spawn(process.execPath, [builtCli, ...sinkArgs(pacedLake, 'paced'), '--poll-ms', '200'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let sinkOut = '';
  sink.stdout.on('data', (c: Buffer) => (sinkOut += c.toString()));
  try {
    const paced = await timed([
      'replay',
      csv,
      '--lake',
      pacedLake,
      '--rate',
      '1000',
      '--limit',
      String(pacedRows),
      ...common('paced'),
    ]);
    // Let the sink apply the last refresh, then stop it: its last line carries the latency figures.
    await new Promise((r) => setTimeout(r, 3000));
    const sinkCpu = sink.pid ? cpuSeconds(sink.pid) : null;
    const exited = new Promise((r) => sink.once('exit', r));
    sink.kill('SIGTERM');
    await exited;
    const latency = /latency p50\/p95 [^;\n]*/.exec(sinkOut)?.[0] ?? `(no figures: ${sinkOut.slice(-300)})`;
    const sent = /^completed: .*$/m.exec(paced.out)?.[0] ?? '(no summary)';
    console.log(
      `Gold refresh → PostgreSQL during a 1,000 events/s replay of ${pacedRows.toLocaleString('en-US')} events (${paced.seconds.toFixed(0)} s with the lake catching up; replay: ${sent}): ${latency}; the continuous sink's CPU over the whole phase ${sinkCpu === null ? '?' : `${sinkCpu.toFixed(1)} s`}`,
    );
  } finally {
    if (sink.exitCode === null) sink.kill('SIGKILL');
  }
} finally {
  await pg.stop();
  await dir.remove();
}
