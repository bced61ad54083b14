/**
 * bench:month — a generated REES46-shaped month (42.4M rows over 31 days) replayed at max speed with
 * `clickpulse replay --lake` through the built CLI: source → Kafka → Bronze → Silver → Gold caught up. Prints
 * wall time, CPU per event, peak RSS, Gold freshness p50/p95 during the run, and the cost of a Gold refresh of
 * the first and of the last day on the finished lake (incremental Gold: the last should cost about the first).
 * ROWS=… and DAYS=… override. A full month needs ~15 GB of free disk (proportionally less for fewer rows): it
 * says so and exits 2 when there is less.
 */
import { execFileSync } from 'node:child_process';
import { statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withLakeDb } from '../../pipeline/lake/duckdb';
import { refreshGold } from '../../pipeline/lake/gold/refresh';
import { builtCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { timedCli } from './timed-cli';

const MONTH_ROWS = 42_400_000;
const MONTH_BYTES = 15 * 1024 ** 3;
const rows = Number(process.env.ROWS ?? MONTH_ROWS);
const days = Number(process.env.DAYS ?? 31);
if (!Number.isSafeInteger(rows) || rows < 1 || !Number.isSafeInteger(days) || days < 1) {
  console.error(
    `bench:month: ROWS and DAYS must be whole numbers ≥ 1 (got ROWS=${process.env.ROWS}, DAYS=${process.env.DAYS}).`,
  );
  process.exit(2);
}
const needed = Math.max(256 * 1024 ** 2, (MONTH_BYTES * rows) / MONTH_ROWS);
const fs = statfsSync(tmpdir());
const free = fs.bavail * fs.bsize;
if (free < needed) {
  const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GB`;
  console.error(
    `bench:month needs ${gb(needed)} of free disk in ${tmpdir()} for ${rows.toLocaleString('en-US')} rows (CSV, broker log, lake); ${gb(free)} is free. Free some space or run fewer rows (ROWS=…).`,
  );
  process.exit(2);
}

const dir = await tempDir('clickpulse-bench-month-');
try {
  const csv = join(dir.path, 'month.csv');
  const genStarted = performance.now();
  execFileSync(process.execPath, [
    builtCli,
    'generate',
    '--rows',
    String(rows),
    '--days',
    String(days),
    '--seed',
    '31',
    '--out',
    csv,
  ]);
  console.log(
    `generated ${rows.toLocaleString('en-US')} rows over ${days} days in ${((performance.now() - genStarted) / 1000).toFixed(1)} s`,
  );
  const lake = join(dir.path, 'lake');
  const run = await timedCli([
    'replay',
    csv,
    '--lake',
    lake,
    '--broker-port',
    '0',
    '--broker-data',
    join(dir.path, 'broker'),
    '--config',
    join(dir.path, 'config'),
  ]);
  console.log(
    `month end to end (CSV → Kafka → Bronze → Silver → Gold caught up): ${rows.toLocaleString('en-US')} rows in ${run.seconds.toFixed(1)} s = ${Math.round(rows / run.seconds).toLocaleString('en-US')} events/s; CPU ${run.cpu.toFixed(1)} s = ${((run.cpu / rows) * 1e6).toFixed(1)} µs per event (user+sys, all threads); peak RSS ${run.peakMb.toFixed(0)} MB`,
  );
  const status = run.out.split('\n').filter((l) => /^(completed|running|stopped)/.test(l));
  console.log(status.join('\n'));
  const gold = /Gold (\d+(?:\.\d+)?) s\/(\d+(?:\.\d+)?) s/.exec(status.join('\n'));
  console.log(
    `Gold freshness p50/p95 during the run: ${gold ? `${gold[1]} s/${gold[2]} s` : '(not reported)'}`,
  );
  // A Gold refresh for one day's changes, at the first and at the last day of the finished lake.
  const refreshCost = async (day: string) =>
    withLakeDb(async (db) => {
      const started = performance.now();
      const cpu = process.cpuUsage();
      await refreshGold(db, lake, [day]);
      const used = process.cpuUsage(cpu);
      return { wall: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6 };
    });
  const day = (n: number) => new Date(Date.UTC(2019, 9, 1 + n)).toISOString().slice(0, 10);
  const first = await refreshCost(day(0));
  const last = await refreshCost(day(days - 1));
  console.log(
    `Gold refresh of one day: first day ${first.wall.toFixed(2)} s (CPU ${first.cpu.toFixed(2)} s), last day ${last.wall.toFixed(2)} s (CPU ${last.cpu.toFixed(2)} s); last/first ${(last.wall / first.wall).toFixed(2)}×`,
  );
} finally {
  await dir.remove();
}
