import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLakeDb } from '../../../pipeline/lake/duckdb';
import { lakePaths } from '../../../pipeline/lake/layout';
import { writeDqDays } from '../../../pipeline/lake/silver/dq';
import { addToSilver, batchName } from '../../../pipeline/lake/silver/incremental';
import {
  readSilverProgress,
  writeSilverProgress,
  type BronzeSlice,
} from '../../../pipeline/lake/silver/state';
import { writeGeneratedBronze } from '../../helpers/lake-dataset';
import { tempDir } from '../../helpers/temp';

/**
 * A streaming step adds its own counts to silver.dq_daily. A step a crash cut short after it had replaced the
 * day's dq file (but before Silver's watermark moved) is redone: its counts must count once, equal to a
 * recount of the whole ledger.
 */
let dir: Awaited<ReturnType<typeof tempDir>>;
let lake: string;
let duck: DuckDBInstance;
let db: DuckDBConnection;
const topic = 'clickpulse_events';

beforeAll(async () => {
  dir = await tempDir('clickpulse-dq-redo-');
  lake = join(dir.path, 'lake');
  duck = await DuckDBInstance.create(':memory:');
  db = await duck.connect();
  const slices = await writeGeneratedBronze(db, lake, 900, 60);
  const steps: BronzeSlice[][] = [];
  for (let i = 0; i < slices.length; i += 6) steps.push(slices.slice(i, i + 6));
  await withLakeDb(async (lakeDb) => {
    for (const [i, step] of steps.entries()) {
      const before = readSilverProgress(lake, topic);
      await addToSilver(lakeDb, lake, topic, step);
      if (i % 3 !== 1) continue;
      // The crash: every file of the step written, the watermark not advanced; the step is redone.
      writeSilverProgress(lake, topic, {
        ...before,
        pending: { batch: batchName(step), slices: step },
      });
      await addToSilver(lakeDb, lake, topic, readSilverProgress(lake, topic).pending?.slices ?? []);
    }
    await writeDqDays(lakeDb, lake, ['2019-10-01', '2019-10-02', '2019-10-03'], join(dir.path, 'recount'));
  });
}, 120_000);
afterAll(async () => {
  db.closeSync();
  duck.closeSync();
  await dir.remove();
});

describe('silver.dq_daily across a redone step', () => {
  it('counts a redone step once: equal to a recount of the whole ledger', async () => {
    const got = `(SELECT * FROM read_parquet('${join(lakePaths(lake).silverDq, '*.parquet')}'))`;
    const wanted = `(SELECT * FROM read_parquet('${join(dir.path, 'recount', '*.parquet')}'))`;
    const diff = await db.runAndReadAll(
      `(${got} EXCEPT ALL ${wanted}) UNION ALL (${wanted} EXCEPT ALL ${got})`,
    );
    expect(diff.getRowObjectsJson()).toEqual([]);
    const reasons = await db.runAndReadAll(`SELECT DISTINCT reason FROM ${got} ORDER BY 1`);
    expect(reasons.getRowsJS().map(([r]) => r)).toEqual([
      'duplicate_in_source',
      'late_event',
      'no_session',
      'replayed_again',
    ]);
  });
});
