import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { ReplayOptions, StreamOptions } from '../../../pipeline/contract';
import { endOffsets, kafkaClient } from '../../../pipeline/kafka';
import { generateDataset } from '../../../pipeline/replay/generator/generate';
import { CheckpointStore } from '../../../pipeline/replay/run/checkpoint';
import { systemClock } from '../../../pipeline/replay/run/pacer';
import { ReplayProducer } from '../../../pipeline/replay/run/replay-producer';
import { ReplayRun } from '../../../pipeline/replay/run/replay-run';
import { LakeStream } from '../../../pipeline/stream/lake-stream';
import { startTestBroker, type TestBroker } from '../../helpers/broker';
import { tempDir } from '../../helpers/temp';

// A replay topic keeps at most retentionBytes (the replay sets retention.bytes when it creates the
// topic), and the broker deletes old segments while the run goes on: Bronze, held close by backpressure,
// still ends with every row exactly once.
const ROWS = 60_000;
const MiB = 1024 * 1024;

let broker: (TestBroker & { remove: () => Promise<void> }) | null = null;
let dir: { path: string; remove: () => Promise<void> } | null = null;
let stream: LakeStream | null = null;
afterEach(async () => {
  await stream?.stop();
  stream = null;
  await broker?.remove();
  broker = null;
  await dir?.remove();
  dir = null;
});

describe('replay topic retention', () => {
  it('creates the topic with its byte bound, and Bronze stays whole while old segments go', async () => {
    // Retention deletes whole segments, so a partition may keep as little as retention − one segment: with
    // 1 MiB segments (no smaller: the producer sends 1 MiB requests) and 1 MiB per partition that was
    // nothing beyond the active segment, and a Bronze slowed by a busy machine lost rows. 3 MiB per
    // partition keeps ≥ 2 MiB, more than the replay's bound (half the topic's retention: 1.5 MiB each).
    broker = await startTestBroker({ segmentBytes: MiB, retentionCheckMs: 100 });
    dir = await tempDir('clickpulse-retention-');
    const target = { bootstrap: broker.bootstrap };
    const lake = join(dir.path, 'lake');
    const { path } = await generateDataset({ rows: ROWS, seed: 5, out: join(dir.path, 'events.csv') });

    // The replay's producer makes the topic (with its bound), then Bronze starts on it, then the replay runs.
    const options = ReplayOptions.parse({ path, topic: 'ret', partitions: 2, retentionBytes: 6 * MiB });
    await (await ReplayProducer.open(target, 'ret', 2, { retentionBytes: 6 * MiB })).close();
    stream = new LakeStream(lake, StreamOptions.parse({ topic: 'ret' }), target, () => undefined);
    await stream.start();
    const replay = new ReplayRun(options, target, {
      clock: systemClock,
      checkpoints: new CheckpointStore(join(dir.path, 'checkpoints')),
      openProducer: (t, topic, partitions, settings) => ReplayProducer.open(t, topic, partitions, settings),
      onProgress: () => undefined,
      bronzePosition: () => stream?.bronzePosition() ?? null,
    });
    const sent = await replay.finished;
    expect(sent.state, sent.error ?? '').toBe('completed');
    expect(sent.rowsSent).toBe(ROWS);

    const kafka = kafkaClient(target, 'test');
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [resource] = (
        await admin.describeConfigs({
          resources: [{ type: 2, name: 'ret', configNames: ['retention.bytes'] }],
          includeSynonyms: false,
        })
      ).resources;
      // Kafka's retention.bytes is per partition: 6 MiB over 2 partitions.
      expect(resource?.configEntries.find((e) => e.configName === 'retention.bytes')?.configValue).toBe(
        String(3 * MiB),
      );
      // Segments were deleted while the replay ran: the log no longer starts at 0.
      const low = await admin.fetchTopicOffsets('ret');
      expect(Math.min(...low.map((o) => Number(o.low)))).toBeGreaterThan(0);
    } finally {
      await admin.disconnect();
    }

    await stream.caughtUp(await endOffsets(kafka, 'ret'));
    const duck = await DuckDBInstance.create(':memory:');
    const db = await duck.connect();
    try {
      const rows = (
        await db.runAndReadAll(
          `SELECT count(*), count(DISTINCT (partition, "offset")) FROM read_parquet('${join(lake, 'bronze', 'ret', '**', '*.parquet')}', hive_partitioning = true)`,
        )
      ).getRowsJS()[0];
      expect(rows?.map(Number)).toEqual([ROWS, ROWS]);
    } finally {
      db.closeSync();
      duck.closeSync();
    }
  }, 180_000);
});
