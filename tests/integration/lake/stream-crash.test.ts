import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { ReplayOptions } from '../../../pipeline/contract';
import { buildSilver } from '../../../pipeline/lake/build';
import { CheckpointStore } from '../../../pipeline/replay/run/checkpoint';
import { ReplayProducer } from '../../../pipeline/replay/run/replay-producer';
import { systemClock } from '../../../pipeline/replay/run/pacer';
import { ReplayRun } from '../../../pipeline/replay/run/replay-run';
import { startTestBroker } from '../../helpers/broker';
import { builtCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';

const ROWS = 200_000;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function startStream(lake: string, bootstrap: string, config: string): ChildProcess {
  return spawn(
    process.execPath,
    [builtCli, 'stream', '--lake', lake, '--brokers', bootstrap, '--config', config],
    {
      stdio: 'ignore',
    },
  );
}

describe('the lake consumer killed with SIGKILL', () => {
  it('still gets every message into Bronze exactly once, and Silver has no duplicates', async () => {
    const dir = await tempDir('clickpulse-lake-crash-');
    cleanups.push(dir.remove);
    const t = await startTestBroker();
    cleanups.push(t.remove);
    const lake = join(dir.path, 'lake');
    const csv = join(dir.path, 'events.csv');
    execFileSync(process.execPath, [
      builtCli,
      'generate',
      '--rows',
      String(ROWS),
      '--seed',
      '3',
      '--out',
      csv,
    ]);

    const replay = new ReplayRun(
      ReplayOptions.parse({ path: csv, topic: 'clickpulse_events' }),
      { bootstrap: t.bootstrap },
      {
        clock: systemClock,
        checkpoints: new CheckpointStore(join(dir.path, 'checkpoints')),
        openProducer: (target, topic, partitions) => ReplayProducer.open(target, topic, partitions),
        onProgress: () => undefined,
      },
    );
    // Kill the consumer at random moments while the replay runs, restarting it each time.
    for (let kill = 0; kill < 4; kill++) {
      const child = startStream(lake, t.bootstrap, join(dir.path, 'config'));
      await new Promise((r) => setTimeout(r, 700 + Math.random() * 1500));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    const sent = await replay.finished;
    expect(sent.rowsSent + sent.rowsRejected).toBe(ROWS);

    const last = startStream(lake, t.bootstrap, join(dir.path, 'config'));
    const duck = await DuckDBInstance.create(':memory:');
    const db = await duck.connect();
    const bronze = `read_parquet('${join(lake, 'bronze', 'clickpulse_events', '**', '*.parquet')}')`;
    const count = async (sql: string) => Number((await db.runAndReadAll(sql)).getRowsJS()[0]?.[0] ?? 0);
    const deadline = Date.now() + 120_000;
    while (
      (await count(`SELECT count(*) FROM ${bronze}`).catch(() => 0)) < sent.rowsSent &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 500));
    }
    const exited = new Promise((r) => last.once('exit', r));
    last.kill('SIGTERM'); // a clean stop lets Silver take in the last Bronze files
    await exited;

    expect(await count(`SELECT count(*) FROM ${bronze}`)).toBe(sent.rowsSent);
    expect(
      await count(
        `SELECT count(*) FROM (SELECT "partition", "offset" FROM ${bronze} GROUP BY ALL HAVING count(*) > 1)`,
      ),
    ).toBe(0);
    const silver = `read_parquet('${join(lake, 'silver', 'events', '**', '*.parquet')}', hive_partitioning = true)`;
    const events = await count(`SELECT count(*) FROM ${silver}`);
    expect(events).toBeGreaterThan(0);
    expect(await count(`SELECT count(DISTINCT event_id) FROM ${silver}`)).toBe(events);
    // Nothing lost on the way: the batch build over the same Bronze finds exactly the same events.
    const batchLake = join(dir.path, 'batch-lake');
    cpSync(join(lake, 'bronze'), join(batchLake, 'bronze'), { recursive: true });
    expect((await buildSilver(batchLake)).events).toBe(events);
    db.closeSync();
    duck.closeSync();
  }, 240_000);
});
