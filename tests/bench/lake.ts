/**
 * bench:lake — 1M generated rows replayed at max speed with the built CLI, first into Bronze alone
 * (`clickpulse replay --lake --bronze-only`: embedded broker, replay, Bronze; it exits once Bronze caught up),
 * then through the whole pipeline (`replay --lake`: Bronze, Silver, Gold; it exits once Gold caught up),
 * then freshness during a 1,000 events/s replay, then the browser bridge's round trip (`stream.status`,
 * p50/p99) while `clickpulse web` replays the same rows at max speed into its lake, then DuckDB converting the
 * same CSV straight to Parquet (the ceiling for a lake writer). ROWS=… and PACED_ROWS=… override.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { builtCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { bridgeRoundTripsDuringReplay } from './bridge-round-trips';
import { timedCli as timed, type Timed } from './timed-cli';

const rows = Number(process.env.ROWS ?? 1_000_000);
const pacedRows = Number(process.env.PACED_ROWS ?? 30_000);
const dir = await tempDir('clickpulse-bench-lake-');

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

  /** `clickpulse replay CSV --lake …` with its own lake, broker data and config folders. */
  const replayInto = (name: string, ...options: string[]) =>
    timed(['replay', csv, '--lake', join(dir.path, `${name}-lake`), ...options, ...common(name)]);
  /** Rows, wall, events/s, CPU per event (user+sys, all threads) and peak RSS of one timed run. */
  const figures = (t: Timed, targets: { rate: string; cpu: string; rss: string } | null = null) =>
    `${rows.toLocaleString('en-US')} rows in ${t.seconds.toFixed(1)} s = ${Math.round(rows / t.seconds).toLocaleString('en-US')} events/s${targets ? ` (target ${targets.rate})` : ''}; CPU ${t.cpu.toFixed(1)} s = ${((t.cpu / rows) * 1e6).toFixed(1)} µs per event${targets ? ` (target ${targets.cpu})` : ''} (user+sys, all threads); peak RSS ${t.peakMb.toFixed(0)} MB${targets ? ` (target ${targets.rss})` : ''}`;
  const bronze = await replayInto('bronze', '--bronze-only');
  console.log(
    `replay → Bronze caught up: ${figures(bronze, { rate: '≥ 150,000', cpu: '≤ 10', rss: '≤ 500' })}`,
  );

  const full = await replayInto('max');
  console.log(`end to end (CSV → Kafka → Bronze → Silver → Gold caught up): ${figures(full)}`);

  console.log(
    full.out
      .trim()
      .split('\n')
      .filter((l) => /^(completed|running|stopped)/.test(l))
      .join('\n'),
  );

  const paced = await replayInto('paced', '--rate', '1000', '--limit', String(pacedRows));
  const freshness = /freshness p50\/p95: .*/.exec(paced.out)?.[0] ?? '(no freshness reported)';
  console.log(`at 1,000 events/s for ${pacedRows.toLocaleString('en-US')} events: ${freshness}`);

  const bridge = await bridgeRoundTripsDuringReplay(csv, join(dir.path, 'web'));
  console.log(
    `browser bridge during a max-speed replay into the lake (${bridge.rowsSent.toLocaleString('en-US')} rows in ${bridge.replaySeconds.toFixed(1)} s): stream.status round trip p50 ${bridge.p50.toFixed(1)} ms, p99 ${bridge.p99.toFixed(1)} ms (target < 50), max ${bridge.max.toFixed(1)} ms over ${bridge.calls} calls`,
  );

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
