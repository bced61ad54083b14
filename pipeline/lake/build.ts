import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../contract';
import { bronzeFiles, parquetFiles } from '../query/catalog';
import { quoteLiteral } from '../query/sql-builder';
import { scalar, withLakeDb } from './duckdb';
import { refreshGold } from './gold/refresh';
import { lakePaths } from './layout';
import parseSql from './silver/parse.sql?raw';
import eventsSql from './silver/events.sql?raw';
import quarantineSql from './silver/quarantine.sql?raw';
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
    const summary = await withLakeDb(async (db) => {
      await db.run(
        `CREATE TEMP VIEW bronze_batch AS SELECT * FROM read_parquet([${files.map(quoteLiteral).join(', ')}])`,
      );
      await db.run(`CREATE TEMP TABLE silver_parsed AS ${parseSql}`);
      await db.run(`CREATE TEMP TABLE silver_new AS ${eventsSql}`);
      await db.run(
        `COPY silver_new TO ${quoteLiteral(join(staging, 'events'))} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (event_date), FILENAME_PATTERN 'part-{i}')`,
      );
      await db.run(
        `COPY (${quarantineSql}) TO ${quoteLiteral(join(staging, 'quarantine', 'part-0.parquet'))} (FORMAT parquet)`,
      );
      return {
        bronzeRows: await scalar(db, 'SELECT count(*) FROM silver_parsed'),
        events: await scalar(db, 'SELECT count(*) FROM silver_new'),
        quarantined: await scalar(db, 'SELECT count(*) FROM silver_parsed WHERE reason IS NOT NULL'),
      };
    });
    await mkdir(join(staging, 'events'), { recursive: true });
    await swapFolder(join(staging, 'events'), paths.silverEvents);
    await swapFolder(join(staging, 'quarantine'), paths.quarantine);
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
