/**
 * bench:replay — generate 1M REES46-shaped rows, replay them at max speed into the embedded broker (the
 * built CLI: `clickpulse broker` in its own process, `clickpulse replay --brokers`), then kcat producing the
 * same rows as JSON lines into the same broker. ROWS=… overrides.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnBrokerCli } from '../helpers/broker';
import { builtCli } from '../helpers/cli';
import { run } from '../helpers/exec';
import { tempDir } from '../helpers/temp';
import { withLakeDb } from '../../pipeline/lake/duckdb';

const rows = Number(process.env.ROWS ?? 1_000_000);
const dir = await tempDir('clickpulse-bench-replay-');
const broker = await spawnBrokerCli(join(dir.path, 'broker'));
const report = (what: string, seconds: number, bytes: number) =>
  console.log(
    `${what.padEnd(26)} ${rows.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s: ` +
      `${Math.round(rows / seconds).toLocaleString('en-US')} rows/s, ${(bytes / 1e6 / seconds).toFixed(1)} MB/s`,
  );
try {
  const csv = join(dir.path, 'events.csv');
  execFileSync(process.execPath, [builtCli, 'generate', '--rows', String(rows), '--seed', '7', '--out', csv]);
  const csvBytes = statSync(csv).size;

  let started = performance.now();
  const replayed = await run(
    process.execPath,
    [
      builtCli,
      'replay',
      csv,
      '--brokers',
      broker.bootstrap,
      '--topic',
      'bench-replay',
      '--config',
      join(dir.path, 'config'),
    ],
    { timeoutMs: 900_000 },
  );
  if (replayed.code !== 0) throw new Error(`replay failed: ${replayed.stderr}`);
  report('clickpulse replay (kafkajs)', (performance.now() - started) / 1000, csvBytes);
  console.log(`  ${replayed.stdout.trim()}`);

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
  const jsonBytes = statSync(lines).size;
  started = performance.now();
  const produced = await run(
    'kcat',
    ['-b', broker.bootstrap, '-P', '-t', 'bench-kcat', '-K', '\t', '-X', 'acks=all', '-l', lines],
    {
      timeoutMs: 900_000,
    },
  );
  if (produced.code !== 0) throw new Error(`kcat failed: ${produced.stderr}`);
  report('kcat (librdkafka)', (performance.now() - started) / 1000, jsonBytes);
  console.log(`(MB/s of the source CSV for the replay, of the JSON lines for kcat)`);
} finally {
  broker.child.kill('SIGTERM');
  await new Promise((r) => broker.child.once('exit', r));
  await dir.remove();
}
