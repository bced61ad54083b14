import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../contract';
import { bronzeFiles, parquetFiles } from './files';
import { quoteLiteral } from '../query/sql-builder';
import { scalar, withLakeDb } from './duckdb';
import { refreshGold } from './gold/refresh';
import { lakePaths } from './layout';
import { writeDqDays } from './silver/dq';
import { SILVER_PARQUET } from './silver/parquet';
import quarantineSql from './silver/quarantine.sql?raw';
import { writeSilverProgress } from './silver/state';
import { batchDates, classifyBatch, parseBronze } from './silver/steps';
import { swapFolder } from './swap';

export const DEFAULT_TOPIC = 'clickpulse_events';

export interface SilverSummary {
  bronzeRows: number;
  events: number;
  quarantined: number;
}

/**
 * Rebuilds Silver from every Bronze file of a topic with the same SQL the streaming path uses
 * (silver/*.sql): parse and type, quarantine with reasons, deduplicate, sessionize, partition by date.
 * The new layer is written beside the old and swapped in, so a reader never sees it half-written.
 */
export async function buildSilver(lake: string, topic = DEFAULT_TOPIC): Promise<SilverSummary> {
  const paths = lakePaths(lake);
  const files = await bronzeFiles(paths.bronzeTopic(topic));
  if (files.length === 0) {
    throw new ApiError({
      code: 'NOT_FOUND',
      message: `No Bronze data for topic "${topic}" in ${lake}: replay or stream into it first.`,
    });
  }
  const staging = join(paths.silver, `.staging-${process.pid}-${Date.now()}`);
  await mkdir(join(staging, 'quarantine'), { recursive: true });
  try {
    const { summary, watermark, dates } = await withLakeDb(async (db) => {
      await db.run(
        `CREATE TEMP VIEW bronze_batch AS SELECT * FROM read_parquet([${files.map(quoteLiteral).join(', ')}])`,
      );
      await parseBronze(db);
      await classifyBatch(db, []);
      const partitioned = (dir: string, format = 'FORMAT parquet, COMPRESSION zstd') =>
        `${quoteLiteral(join(staging, dir))} (${format}, PARTITION_BY (event_date), FILENAME_PATTERN 'part-{i}')`;
      await db.run(`COPY silver_new TO ${partitioned('events', SILVER_PARQUET)}`);
      await db.run(`COPY silver_ledger_new TO ${partitioned('ledger')}`);
      await db.run(
        `COPY (${quarantineSql}) TO ${quoteLiteral(join(staging, 'quarantine', 'part-0.parquet'))} (FORMAT parquet)`,
      );
      const ends = await db.runAndReadAll(
        `SELECT "partition", max("offset") + 1 FROM bronze_batch GROUP BY 1`,
      );
      return {
        summary: {
          bronzeRows: await scalar(db, 'SELECT count(*) FROM silver_parsed'),
          events: await scalar(db, 'SELECT count(*) FROM silver_new'),
          quarantined: await scalar(db, 'SELECT count(*) FROM silver_parsed WHERE reason IS NOT NULL'),
        },
        watermark: Object.fromEntries(ends.getRowsJS().map(([p, next]) => [String(p), Number(next)])),
        dates: await batchDates(db),
      };
    });
    await mkdir(join(staging, 'events'), { recursive: true });
    await mkdir(join(staging, 'ledger'), { recursive: true });
    await swapFolder(join(staging, 'events'), paths.silverEvents);
    await swapFolder(join(staging, 'quarantine'), paths.quarantine);
    await mkdir(paths.state, { recursive: true });
    await swapFolder(join(staging, 'ledger'), paths.silverLedger);
    await withLakeDb((db) => writeDqDays(db, lake, dates, join(staging, 'dq_daily')));
    await mkdir(join(staging, 'dq_daily'), { recursive: true });
    await swapFolder(join(staging, 'dq_daily'), paths.silverDq);
    // The rebuilt counts are the base the next streaming step adds its own to.
    await rm(paths.silverDqState, { recursive: true, force: true });
    // Streaming goes on from where this build stopped reading Bronze.
    writeSilverProgress(lake, topic, { watermark, pending: null, goldDates: dates });
    await writeState(lake, 'silver', { topic, ...summary });
    return summary;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Recomputes every Gold table from Silver (one SQL file each), replacing each table's file atomically. */
export async function buildGold(lake: string): Promise<Record<string, number>> {
  const paths = lakePaths(lake);
  const files = await parquetFiles(paths.silverEvents);
  if (files.length === 0) {
    throw new ApiError({
      code: 'NOT_FOUND',
      message: `Silver is empty in ${lake}: build Silver first (clickpulse build silver).`,
    });
  }
  const rows = await withLakeDb((db) => refreshGold(db, lake));
  await writeState(lake, 'gold', { tables: rows });
  return rows;
}

async function writeState(lake: string, layer: string, content: object): Promise<void> {
  const dir = lakePaths(lake).state;
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${layer}.json`);
  await writeFile(`${file}.tmp`, JSON.stringify({ builtAt: new Date().toISOString(), ...content }, null, 2));
  await rename(`${file}.tmp`, file);
}
