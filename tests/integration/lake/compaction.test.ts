import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplayOptions, StreamOptions } from '../../../pipeline/contract';
import { lakePaths } from '../../../pipeline/lake/layout';
import { bronzeFiles } from '../../../pipeline/lake/files';
import { quoteLiteral } from '../../../pipeline/query/sql-builder';
import { CheckpointStore } from '../../../pipeline/replay/run/checkpoint';
import { ReplayProducer } from '../../../pipeline/replay/run/replay-producer';
import { systemClock } from '../../../pipeline/replay/run/pacer';
import { ReplayRun } from '../../../pipeline/replay/run/replay-run';
import { BronzeManifest } from '../../../pipeline/stream/bronze-manifest';
import { LakeStream } from '../../../pipeline/stream/lake-stream';
import { startTestBroker, type TestBroker } from '../../helpers/broker';
import { SAMPLE_CSV } from '../../helpers/query-lake';
import { tempDir } from '../../helpers/temp';

let t: TestBroker & { remove: () => Promise<void> };
let dir: { path: string; remove: () => Promise<void> };
let duck: DuckDBInstance;
let db: DuckDBConnection;

beforeAll(async () => {
  t = await startTestBroker();
  dir = await tempDir('clickpulse-compaction-');
  duck = await DuckDBInstance.create(':memory:');
  db = await duck.connect();
});
afterAll(async () => {
  db.closeSync();
  duck.closeSync();
  await t.remove();
  await dir.remove();
});

const count = async (sql: string) => Number((await db.runAndReadAll(sql)).getRowsJS()[0]?.[0] ?? 0);
const list = (files: string[]) => `[${files.map(quoteLiteral).join(', ')}]`;
const topicDir = (lake: string) => lakePaths(lake).bronzeTopic('clickpulse_events');
const files = (lake: string) =>
  readdirSync(topicDir(lake), { recursive: true }).filter((f) => String(f).endsWith('.parquet'));

describe('Bronze compaction', () => {
  it('merges small files Silver has taken in, keeping every message once and Silver unchanged', async () => {
    const lake = join(dir.path, 'lake');
    // Tiny flushes make many small files; compaction runs every half second.
    const stream = new LakeStream(
      lake,
      StreamOptions.parse({}),
      { bootstrap: t.bootstrap },
      () => undefined,
      { flushRows: 60, flushMs: 100 },
      { smallRows: 100_000, maxRows: 1_000_000, minFiles: 2 },
      500,
    );
    await stream.start();
    const replay = new ReplayRun(
      ReplayOptions.parse({ path: SAMPLE_CSV, rate: 2000 }),
      { bootstrap: t.bootstrap },
      {
        clock: systemClock,
        checkpoints: new CheckpointStore(join(dir.path, 'checkpoints')),
        openProducer: (target, topic, partitions) => ReplayProducer.open(target, topic, partitions),
        onProgress: () => undefined,
      },
    );
    await replay.finished;
    const ends = new Map(
      t.broker
        .topics()
        .find((x) => x.name === 'clickpulse_events')
        ?.partitions.map((p) => [p.partition, p.logEndOffset]),
    );
    await stream.caughtUp(ends);
    const deadline = Date.now() + 30_000;
    while (files(lake).length > 3 && Date.now() < deadline) {
      // Readers keep reading meanwhile: the app's file list never counts a message twice or misses one.
      expect(
        await count(`SELECT count(*) FROM read_parquet(${list(await bronzeFiles(topicDir(lake)))})`),
      ).toBe(1000);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(files(lake).length).toBe(3); // one file per partition
    const glob = `read_parquet('${join(topicDir(lake), '**', '*.parquet')}')`;
    expect(await count(`SELECT count(*) FROM ${glob}`)).toBe(1000);
    expect(
      await count(
        `SELECT count(*) FROM (SELECT "partition", "offset" FROM ${glob} GROUP BY ALL HAVING count(*) > 1)`,
      ),
    ).toBe(0);
    // Each merged file holds its messages in offset order, as Bronze's readers expect.
    expect(
      await count(`SELECT count(*) FROM (
        SELECT "offset" <= lag("offset") OVER (PARTITION BY filename ORDER BY file_row_number) AS back
        FROM read_parquet('${join(topicDir(lake), '**', '*.parquet')}', filename = true, file_row_number = true)
      ) WHERE back`),
    ).toBe(0);
    const status = stream.current();
    expect(status.bronze.rows).toBe(1000);
    await stream.stop();
    expect(
      await count(
        `SELECT count(*) FROM read_parquet('${join(lakePaths(lake).silverEvents, '**', '*.parquet')}')`,
      ),
    ).toBe(1000);
    expect(BronzeManifest.open(lake, 'clickpulse_events').ranges()).toHaveLength(3);
    // Many small files were written, then merged.
    const lines = readFileSync(
      join(lakePaths(lake).state, 'bronze', 'clickpulse_events.manifest.jsonl'),
      'utf8',
    )
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { replaces?: string[] });
    expect(lines.filter((l) => !l.replaces).length).toBeGreaterThanOrEqual(6);
    expect(
      lines.filter((l) => l.replaces).reduce((n, l) => n + (l.replaces?.length ?? 0), 0),
    ).toBeGreaterThanOrEqual(6);
  });

  it('finishes a compaction a crash cut short: the merged file wins, the small ones go', async () => {
    const lake = join(dir.path, 'lake');
    const manifest = BronzeManifest.open(lake, 'clickpulse_events');
    const [merged] = manifest.ranges();
    if (!merged) throw new Error('no Bronze');
    // Put back two "small" files the merged one covers, as if the crash came before the manifest line.
    const part = join(topicDir(lake), `partition=${merged.partition}`);
    const pad = (n: number) => String(n).padStart(20, '0');
    const smallA = join(part, `${pad(merged.first)}-${pad(merged.first + 9)}.parquet`);
    const smallB = join(part, `${pad(merged.first + 10)}-${pad(merged.first + 19)}.parquet`);
    copyFileSync(join(lake, merged.file), smallA);
    copyFileSync(join(lake, merged.file), smallB);
    expect((await bronzeFiles(topicDir(lake))).some((f) => f === smallA)).toBe(false); // readers already skip them
    const reopened = BronzeManifest.open(lake, 'clickpulse_events');
    expect(reopened.ranges().filter((r) => r.partition === merged.partition)).toEqual([merged]);
    expect(readdirSync(part).filter((f) => f.endsWith('.parquet'))).toEqual([merged.file.split('/').at(-1)]);
  });
});
