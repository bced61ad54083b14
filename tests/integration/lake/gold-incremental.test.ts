import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { cpSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGold, buildSilver } from '../../../pipeline/lake/build';
import { DAY_GRAINED, goldFiles } from '../../../pipeline/lake/gold/refresh';
import { goldTables } from '../../../pipeline/lake/gold/tables';
import { lakePaths } from '../../../pipeline/lake/layout';
import { LakeRefiner } from '../../../pipeline/lake/refiner';
import { readSilverProgress, type BronzeSlice } from '../../../pipeline/lake/silver/state';
import { startCli } from '../../helpers/cli';
import { writeGeneratedBronze } from '../../helpers/lake-dataset';
import { tempDir } from '../../helpers/temp';

/**
 * Gold is partitioned by day where its grain allows: a Silver step for one day rewrites only that day's
 * files, and a Gold refresh killed midway leaves every table readable and, once restarted, equal to a
 * recomputation.
 */
let dir: Awaited<ReturnType<typeof tempDir>>;
let duck: DuckDBInstance;
let db: DuckDBConnection;
let slices: BronzeSlice[];
const source = () => join(dir.path, 'source');

beforeAll(async () => {
  dir = await tempDir('clickpulse-gold-inc-');
  duck = await DuckDBInstance.create(':memory:');
  db = await duck.connect();
  slices = await writeGeneratedBronze(db, source(), 1600, 400);
}, 60_000);
afterAll(async () => {
  db.closeSync();
  duck.closeSync();
  await dir.remove();
});

/** Runs a refiner over Bronze slices until it is idle. */
async function refine(lake: string, committed: BronzeSlice[]): Promise<void> {
  const errors: unknown[] = [];
  const refiner = new LakeRefiner(lake, 'clickpulse_events', () => committed, {
    onError: (e) => errors.push(e),
  });
  refiner.wake();
  await refiner.idle();
  expect(errors).toEqual([]);
}

/** Per Gold table, the rows that differ from `other` lake's (both ways). */
async function differences(lake: string, other: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of Object.keys(goldTables)) {
    const read = (l: string) =>
      `(SELECT * FROM read_parquet('${join(l, 'gold', table, '**', '*.parquet')}'))`;
    out[table] = (
      await db.runAndReadAll(
        `(${read(lake)} EXCEPT ALL ${read(other)}) UNION ALL (${read(other)} EXCEPT ALL ${read(lake)})`,
      )
    ).getRowObjectsJson();
  }
  return out;
}

const none = Object.fromEntries(Object.keys(goldTables).map((t) => [t, []]));

/** Silver copied to a fresh lake and Gold rebuilt there from scratch. */
async function recomputed(lake: string, name: string): Promise<string> {
  const fresh = join(dir.path, name);
  cpSync(join(lake, 'silver'), join(fresh, 'silver'), { recursive: true });
  await buildGold(fresh);
  return fresh;
}

describe('Gold partitioned by day', () => {
  it('rewrites only the days a Silver step touched: day 1 stays byte-identical', async () => {
    const lake = join(dir.path, 'incremental');
    cpSync(source(), lake, { recursive: true });
    await refine(lake, slices);
    const day1 = (table: string) =>
      join(lakePaths(lake).goldTable(table), 'event_date=2019-10-01', 'data.parquet');
    const before = new Map(
      [...DAY_GRAINED].map((t) => [t, { bytes: readFileSync(day1(t)), ino: statSync(day1(t)).ino }]),
    );
    // A batch whose events are all on day 2: three events of a new source after partition 0's end.
    const end = Math.max(...slices.filter((s) => s.partition === 0).map((s) => s.last));
    const file = lakePaths(lake).bronzeFile('clickpulse_events', 0, BigInt(end + 1), BigInt(end + 3));
    await db.run(`COPY (SELECT 'clickpulse_events' AS topic, 0 AS "partition", CAST(${end + 1} + i AS BIGINT) AS "offset",
        'u1' AS key, encode(to_json(json_object('event_time', '2019-10-02T12:0' || i || ':00Z', 'event_type', 'purchase',
          'product_id', 'extra', 'price', 10.5, 'user_id', 'u1', 'user_session', 'extra-s'))::VARCHAR) AS value,
        MAP {'clickpulse.source': 'extra', 'clickpulse.row': CAST(i AS VARCHAR)} AS headers,
        now() AS kafka_timestamp, now() AS ingest_time FROM range(3) r(i)) TO '${file}' (FORMAT parquet)`);
    const extra = { partition: 0, first: end + 1, last: end + 3, file: file.slice(lake.length + 1) };
    await refine(lake, [...slices, extra]);
    for (const t of DAY_GRAINED) {
      const after = { bytes: readFileSync(day1(t)), ino: statSync(day1(t)).ino };
      expect({
        t,
        same: after.ino === before.get(t)?.ino && after.bytes.equals(before.get(t)?.bytes ?? Buffer.alloc(0)),
      }).toEqual({ t, same: true });
      expect(goldFiles(lakePaths(lake).goldTable(t)).length).toBeGreaterThanOrEqual(3);
    }
    expect(await differences(lake, await recomputed(lake, 'incremental-check'))).toEqual(none);
  });

  it('a SIGKILL during a Gold refresh leaves every table readable; after a restart Gold equals a recomputation', async () => {
    const lake = join(dir.path, 'killed');
    cpSync(source(), lake, { recursive: true });
    await buildSilver(lake);
    expect(readSilverProgress(lake, 'clickpulse_events').goldDates?.length).toBe(3);
    const child = startCli(['build', 'gold', '--lake', lake]);
    // Killed as soon as the refresh has written its first table (the others are still to come).
    let exited = false;
    void child.exited.then(() => (exited = true));
    const first = lakePaths(lake).goldTable(Object.keys(goldTables)[0] ?? '');
    while (!exited && goldFiles(first).length === 0) await new Promise((r) => setTimeout(r, 5));
    await child.stop('SIGKILL');
    const written = Object.keys(goldTables).filter((t) => goldFiles(lakePaths(lake).goldTable(t)).length);
    expect(written.length).toBeLessThan(Object.keys(goldTables).length);
    for (const table of Object.keys(goldTables)) {
      const files = goldFiles(lakePaths(lake).goldTable(table));
      if (files.length)
        await db.run(`SELECT count(*) FROM read_parquet([${files.map((f) => `'${f}'`).join(', ')}])`);
    }
    // The restart: the refiner finds Silver caught up but the days it changed still owed to Gold.
    await refine(lake, slices);
    expect(readSilverProgress(lake, 'clickpulse_events').goldDates).toEqual([]);
    expect(await differences(lake, await recomputed(lake, 'killed-check'))).toEqual(none);
  });
});
