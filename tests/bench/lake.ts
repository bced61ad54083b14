/**
 * bench:lake — 1M generated rows replayed at max speed through the whole pipeline with the built CLI
 * (`clickpulse replay --lake`: embedded broker, replay, Bronze, Silver, Gold; it exits once Gold caught up),
 * then freshness during a 1,000 events/s replay, then DuckDB converting the same CSV straight to Parquet
 * (the ceiling for a lake writer). ROWS=… and PACED_ROWS=… override.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { builtCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

const rows = Number(process.env.ROWS ?? 1_000_000);
const pacedRows = Number(process.env.PACED_ROWS ?? 30_000);
const dir = await tempDir('clickpulse-bench-lake-');

/** CPU seconds (user + system) of a process so far, from /proc (the CLI's worker threads are in it). */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return null;
  }
}
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

interface Timed {
  out: string;
  seconds: number;
  peakMb: number;
  /** User + system CPU seconds of the CLI process (broker, replay and lake threads included). */
  cpu: number;
}

/**
 * Runs the CLI, sampling its resident memory; resolves with stdout, wall seconds, peak RSS in MB and CPU
 * seconds: from GNU time's rusage when /usr/bin/time exists, else the last /proc sample before the exit.
 */
function timed(args: string[]): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const usage = join(dir.path, `usage-${Date.now()}.txt`);
    const gnuTime = existsSync('/usr/bin/time');
    const child = gnuTime
      ? spawn('/usr/bin/time', ['-f', '%U %S', '-o', usage, process.execPath, builtCli, ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : spawn(process.execPath, [builtCli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let peak = 0;
    let cpu = 0;
    let cliPid: number | null = gnuTime ? null : (child.pid ?? null);
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const sampler = setInterval(() => {
      try {
        cliPid ??=
          Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim()) || null;
        if (cliPid === null) return;
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${cliPid}/status`, 'utf8'));
        if (hwm) peak = Math.max(peak, Number(hwm[1]) / 1024);
        cpu = cpuSeconds(cliPid) ?? cpu;
      } catch {
        // the process just ended
      }
    }, 200);
    child.on('exit', (code) => {
      clearInterval(sampler);
      if (code !== 0) return reject(new Error(`clickpulse ${args[0]} exited ${code}: ${err}`));
      if (gnuTime) {
        const [user, sys] =
          readFileSync(usage, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
        if (Number.isFinite(user) && Number.isFinite(sys)) cpu = (user ?? 0) + (sys ?? 0);
      }
      resolve({ out, seconds: (performance.now() - started) / 1000, peakMb: peak, cpu });
    });
  });
}

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
  const common = (name: string) => [
    '--broker-port',
    '0',
    '--broker-data',
    join(dir.path, `${name}-broker`),
    '--config',
    join(dir.path, `${name}-config`),
  ];

  const full = await timed(['replay', csv, '--lake', join(dir.path, 'lake'), ...common('max')]);
  console.log(
    `end to end (CSV → Kafka → Bronze → Silver → Gold caught up): ${rows.toLocaleString('en-US')} rows in ${full.seconds.toFixed(1)} s = ${Math.round(rows / full.seconds).toLocaleString('en-US')} events/s; CPU ${full.cpu.toFixed(1)} s = ${((full.cpu / rows) * 1e6).toFixed(1)} µs per event (user+sys, all threads); peak RSS ${full.peakMb.toFixed(0)} MB`,
  );
  console.log(
    full.out
      .trim()
      .split('\n')
      .filter((l) => /^(completed|running|stopped)/.test(l))
      .join('\n'),
  );

  const paced = await timed([
    'replay',
    csv,
    '--lake',
    join(dir.path, 'paced-lake'),
    '--rate',
    '1000',
    '--limit',
    String(pacedRows),
    ...common('paced'),
  ]);
  const freshness = /freshness p50\/p95: .*/.exec(paced.out)?.[0] ?? '(no freshness reported)';
  console.log(`at 1,000 events/s for ${pacedRows.toLocaleString('en-US')} events: ${freshness}`);

  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const started = performance.now();
  await db.run(
    `COPY (SELECT * FROM read_csv('${csv}')) TO '${join(dir.path, 'ceiling.parquet')}' (FORMAT parquet, COMPRESSION zstd)`,
  );
  const ceiling = (performance.now() - started) / 1000;
  db.closeSync();
  instance.closeSync();
  console.log(
    `DuckDB CSV → Parquet (the ceiling): ${rows.toLocaleString('en-US')} rows in ${ceiling.toFixed(1)} s = ${Math.round(rows / ceiling).toLocaleString('en-US')} rows/s`,
  );
  console.log(`pipeline / ceiling: ${(rows / full.seconds / (rows / ceiling)).toFixed(3)}`);
} finally {
  await dir.remove();
}
