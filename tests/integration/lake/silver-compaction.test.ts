import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journey } from '../../../pipeline/explore/journey';
import { refreshUserIndex, userRows } from '../../../pipeline/explore/user-index';
import { withLakeDb } from '../../../pipeline/lake/duckdb';
import { currentParquetNames, replacesNote, silverEventFiles } from '../../../pipeline/lake/files';
import { refreshGold } from '../../../pipeline/lake/gold/refresh';
import { lakePaths } from '../../../pipeline/lake/layout';
import { LakeRefiner } from '../../../pipeline/lake/refiner';
import { compactSilver, finishSilverCompactions } from '../../../pipeline/lake/silver/compact';
import { SILVER_ROW_GROUP_ROWS } from '../../../pipeline/lake/silver/parquet';
import type { BronzeSlice } from '../../../pipeline/lake/silver/state';
import { goldDifferences } from '../../helpers/gold-checks';
import { expectedEvents, writeGeneratedBronze } from '../../helpers/lake-dataset';
import { tempDir } from '../../helpers/temp';

/**
 * Silver's small files (one per streaming step and day) are merged between steps (silver/compact.ts). Over the
 * generated three-day set (duplicates, late events, session-less rows, a replay), streamed in small steps with
 * a compaction after each: a reader reading all the while never sees a row twice or misses one; at the end
 * Silver holds exactly the expected events (the replay deduplicated against a compacted ledger), Gold equals
 * an independent query and was never recomputed for a compaction, the user index finds each user's rows in the
 * merged files only, and a compaction cut short at either point a crash can cut it is read right and finished.
 */
const topic = 'clickpulse_events';
let dir: Awaited<ReturnType<typeof tempDir>>;
let lake: string;
let duck: DuckDBInstance;
let db: DuckDBConnection;
let slices: BronzeSlice[];
const compaction = { smallRows: 100_000, maxRows: 1_000_000, minFiles: 3, graceMs: 0, everyMs: 0 };

beforeAll(async () => {
  dir = await tempDir('clickpulse-silver-compaction-');
  lake = join(dir.path, 'lake');
  duck = await DuckDBInstance.create(':memory:');
  db = await duck.connect();
  await db.run("SET TimeZone = 'UTC'");
  slices = await writeGeneratedBronze(db, lake, 1200, 40);
  await expectedEvents(db);
}, 60_000);
afterAll(async () => {
  db.closeSync();
  duck.closeSync();
  await dir.remove();
});

const rows = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJson();
const list = (files: string[]) => `[${files.map((f) => `'${f}'`).join(', ')}]`;
const events = () => lakePaths(lake).silverEvents;
const dayDirs = () =>
  readdirSync(events())
    .filter((n) => n.startsWith('event_date='))
    .map((n) => join(events(), n));

/** Takes in Bronze up to `cut`, as the stream's refiner does: a step, a compaction, Gold. */
async function refine(cut: number, options: typeof compaction | undefined = compaction): Promise<void> {
  const errors: unknown[] = [];
  const committed = slices.slice(0, cut);
  const refiner = new LakeRefiner(
    lake,
    topic,
    () => committed,
    { onError: (e) => errors.push(e) },
    0,
    options,
  );
  refiner.wake();
  await refiner.idle();
  expect(errors).toEqual([]);
}

/** Mtimes of the whole-lake Gold tables' files: a full recompute rewrites every one. */
const wholeLakeMtimes = () =>
  ['session_stats', 'user_activity', 'product_performance', 'hourly_heatmap'].flatMap((t) =>
    readdirSync(lakePaths(lake).goldTable(t), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.parquet'))
      .map((f) => `${t}/${f}@${statSync(join(lakePaths(lake).goldTable(t), f)).mtimeMs}`),
  );

describe('Silver compaction', () => {
  it('keeps the user index right: lookups ignore the replaced files and find the merged one', async () => {
    // Steps without compaction first: many small files per day.
    for (const cut of [8, 16, 24]) await refine(cut, { ...compaction, everyMs: 3_600_000 });
    const [{ user } = { user: '' }] = (await rows(
      `SELECT user_id AS user FROM read_parquet(${list(await silverEventFiles(events()))}) GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
    )) as { user: string }[];
    const before = await withLakeDb(async (lakeDb) => {
      const found = await userRows(lakeDb, await refreshUserIndex(lakeDb, lake), user);
      return { files: [...found.keys()], rows: [...found.values()].flat().length };
    });
    expect(before.files.length).toBeGreaterThan(2);
    const goldBefore = wholeLakeMtimes();
    const { merged, into } = await withLakeDb((lakeDb) => compactSilver(lakeDb, lake, topic, compaction));
    expect(merged).toBeGreaterThan(into);
    await withLakeDb(async (lakeDb) => {
      const found = await userRows(lakeDb, await refreshUserIndex(lakeDb, lake), user);
      const files = [...found.keys()];
      expect(files.some((f) => /\/c-[0-9a-f]{16}\.parquet$/.test(f))).toBe(true);
      expect(files.filter((f) => before.files.includes(f) && !/\/c-/.test(f)).sort()).toEqual(
        // Files the compaction left alone (too few on their day) are still where they were.
        before.files
          .filter((f) => currentParquetNames(join(f, '..')).includes(f.slice(f.lastIndexOf('/') + 1)))
          .sort(),
      );
      expect([...found.values()].flat().length).toBe(before.rows);
      const path = await journey(lakeDb, lake, { userId: user, limit: 5000 });
      expect(path.totalEvents).toBe(before.rows);
      const id = path.events.columns.findIndex((c) => c.name === 'event_id');
      expect(new Set(path.events.rows.map((r) => r[id])).size).toBe(before.rows); // each event once
    });
    // Gold took the merged files as the ones it had: a refresh with nothing new rewrites nothing.
    await withLakeDb((lakeDb) => refreshGold(lakeDb, lake, ['2019-10-01', '2019-10-02', '2019-10-03']));
    expect(wholeLakeMtimes()).toEqual(goldBefore);
  });

  it('a reader meanwhile never sees a row twice or misses one; Silver, dedup and Gold stay exact', async () => {
    const reader = await DuckDBInstance.create(':memory:');
    const rdb = await reader.connect();
    let done = false;
    const seen: number[] = [];
    let missingFile = 0;
    const read = (async () => {
      while (!done) {
        const files = await silverEventFiles(events());
        try {
          const [[n, ids]] = (
            await rdb.runAndReadAll(
              `SELECT count(*)::INTEGER, count(DISTINCT event_id)::INTEGER FROM read_parquet(${list(files)})`,
            )
          ).getRowsJS() as [[number, number]];
          expect(n).toBe(ids);
          expect(n).toBeGreaterThanOrEqual(seen.at(-1) ?? 0);
          seen.push(n);
        } catch (error) {
          // Listed just before a compaction removed a file: an error, asked again (never a wrong count).
          if (!/No files found|Cannot open file|No such file/i.test(String(error))) throw error;
          missingFile += 1;
        }
      }
    })();
    try {
      for (let cut = 36; cut < slices.length; cut += 12) await refine(cut);
      await refine(slices.length);
    } finally {
      done = true;
      await read;
      rdb.closeSync();
      reader.closeSync();
    }
    expect(seen.length).toBeGreaterThan(5);
    expect(missingFile).toBeLessThan(seen.length);
    // Compacted: a few files a day, not one per step; every merged file in Silver's row groups, by time.
    for (const day of dayDirs()) {
      const names = readdirSync(day);
      expect(names.filter((n) => n.startsWith('.'))).toEqual([]); // no note, no temp left
      expect(names.length).toBeLessThanOrEqual(5); // of the 8 steps' files it had
      const merged = names.filter((n) => n.startsWith('c-')).map((n) => join(day, n));
      expect(merged.length).toBeGreaterThan(0);
      const [stats] = await rows(
        `SELECT max(row_group_num_rows) AS largest FROM parquet_metadata(${list(merged)})`,
      );
      expect(Number(stats?.largest)).toBeLessThanOrEqual(SILVER_ROW_GROUP_ROWS);
      const [order] = await rows(`SELECT count(*) AS n FROM (SELECT event_time < lag(event_time) OVER
        (PARTITION BY filename ORDER BY file_row_number) AS back FROM read_parquet(${list(merged)}, filename = true,
        file_row_number = true)) WHERE back`);
      expect(Number(order?.n)).toBe(0);
    }
    const silver = `read_parquet('${join(events(), '**', '*.parquet')}', hive_partitioning = true)`;
    const got = `(SELECT event_time, event_type, product_id, brand, price, user_id, user_session, session_id FROM ${silver})`;
    const wanted = `(SELECT t, event_type, product_id, brand, price, user_id, user_session, session FROM expected)`;
    expect(await rows(`(${got} EXCEPT ALL ${wanted}) UNION ALL (${wanted} EXCEPT ALL ${got})`)).toEqual([]);
    // The ledger was compacted too, and the replay (the last third of Bronze) was deduplicated against it.
    const ledger = readdirSync(join(lakePaths(lake).silverLedger, 'event_date=2019-10-01'));
    expect(ledger.some((n) => n.startsWith('c-'))).toBe(true);
    const source = `(SELECT t, event_type, product_id, category_id, category_code, brand, price, user_id, session FROM expected)`;
    for (const [table, diff] of await goldDifferences(db, lake, source))
      expect({ table, diff }).toEqual({ table, diff: [] });
  });

  it('reads right and finishes a compaction a crash cut short before or after the rename', async () => {
    const day = join(events(), 'event_date=2019-10-02');
    const names = currentParquetNames(day);
    const count = async () =>
      Number(
        (await rows(`SELECT count(*) AS n FROM read_parquet(${list(await silverEventFiles(events()))})`))[0]
          ?.n,
      );
    const total = await count();
    // Before the rename: the merged file's temp and its note, no merged file. Its inputs stay current.
    const [first, second] = names;
    if (!first || !second) throw new Error('the day has fewer than two files');
    copyFileSync(join(day, first), join(day, '.c-0000000000000001.parquet.tmp'));
    writeFileSync(replacesNote(day, 'c-0000000000000001.parquet'), JSON.stringify({ replaces: [first] }));
    expect(currentParquetNames(day)).toEqual(names);
    finishSilverCompactions(lake, 0);
    expect(readdirSync(day).sort()).toEqual([...names].sort());
    // After the rename: merged file, note and inputs all there (a copy of `first` merged "into" m).
    copyFileSync(join(day, first), join(day, 'c-0000000000000002.parquet'));
    writeFileSync(replacesNote(day, 'c-0000000000000002.parquet'), JSON.stringify({ replaces: [first] }));
    expect(currentParquetNames(day)).toEqual(
      [...names.filter((n) => n !== first), 'c-0000000000000002.parquet'].sort(),
    );
    expect(await count()).toBe(total);
    const taken = JSON.parse(
      readFileSync(join(lakePaths(lake).goldState, 'silver-files', '2019-10-02.json'), 'utf8'),
    ) as { name: string }[];
    expect(taken.map((t) => t.name)).toContain(first);
    // The next start finishes it: the input goes, Gold's record names the merged file.
    await refine(slices.length);
    expect(readdirSync(day).sort()).toEqual(
      [...names.filter((n) => n !== first), 'c-0000000000000002.parquet'].sort(),
    );
    expect(await count()).toBe(total);
    const after = JSON.parse(
      readFileSync(join(lakePaths(lake).goldState, 'silver-files', '2019-10-02.json'), 'utf8'),
    ) as { name: string }[];
    expect(after.map((t) => t.name)).toContain('c-0000000000000002.parquet');
    expect(after.map((t) => t.name)).not.toContain(first);
  });
});
