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
import { builtCli, startCli } from '../../helpers/cli';
import { runChild, type TestChild } from '../../helpers/children';
import { tempDir } from '../../helpers/temp';

// Big enough that every kill lands while the consumer is still behind the replay.
const ROWS = 100_000;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function startStream(lake: string, bootstrap: string, config: string): TestChild {
  return startCli(['stream', '--lake', lake, '--brokers', bootstrap, '--config', config]);
}

describe('the lake consumer killed with SIGKILL', () => {
  it('still gets every message into Bronze exactly once, and Silver has no duplicates', async () => {
    const dir = await tempDir('clickpulse-lake-crash-');
    cleanups.push(dir.remove);
    const t = await startTestBroker();
    cleanups.push(t.remove);
    const lake = join(dir.path, 'lake');
    const csv = join(dir.path, 'events.csv');
    const generated = await runChild(
      process.execPath,
      [builtCli, 'generate', '--rows', String(ROWS), '--seed', '3', '--out', csv],
      { timeoutMs: 120_000 },
    );
    expect(generated.code, generated.stderr).toBe(0);

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
      await child.stop('SIGKILL');
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
    await last.stop('SIGTERM', 30_000);
    // Nothing lost on the way: the batch build over the same (now quiet) Bronze is what streaming Silver
    // must reach. A stop is bounded to 5 s, so Silver may finish taking Bronze in on the next start.
    const batchLake = join(dir.path, 'batch-lake');
    cpSync(join(lake, 'bronze'), join(batchLake, 'bronze'), { recursive: true });
    const expected = (await buildSilver(batchLake)).events;
    const silver = `read_parquet('${join(lake, 'silver', 'events', '**', '*.parquet')}', hive_partitioning = true)`;
    const again = startStream(lake, t.bootstrap, join(dir.path, 'config'));
    while (
      (await count(`SELECT count(*) FROM ${silver}`).catch(() => 0)) < expected &&
      Date.now() < deadline + 60_000
    ) {
      await new Promise((r) => setTimeout(r, 500));
    }
    await again.stop('SIGTERM', 30_000);

    expect(await count(`SELECT count(*) FROM ${bronze}`)).toBe(sent.rowsSent);
    expect(
      await count(
        `SELECT count(*) FROM (SELECT "partition", "offset" FROM ${bronze} GROUP BY ALL HAVING count(*) > 1)`,
      ),
    ).toBe(0);
    const events = await count(`SELECT count(*) FROM ${silver}`);
    expect(events).toBeGreaterThan(0);
    expect(await count(`SELECT count(DISTINCT event_id) FROM ${silver}`)).toBe(events);
    expect(events).toBe(expected);
    db.closeSync();
    duck.closeSync();
  }, 240_000);
});
