import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lakePaths } from '../../../pipeline/lake/layout';
import { LakeRefiner } from '../../../pipeline/lake/refiner';
import { readSilverProgress, type BronzeSlice } from '../../../pipeline/lake/silver/state';
import { goldDifferences } from '../../helpers/gold-checks';
import { expectedEvents, writeGeneratedBronze } from '../../helpers/lake-dataset';
import { tempDir } from '../../helpers/temp';

/**
 * A generated three-day dataset (exact duplicates, rows without user_session, late events across midnight,
 * then the same file replayed again) streamed into Silver and Gold in many small steps: Silver, every Gold
 * table and silver.dq_daily equal independent queries over the source.
 */
let dir: Awaited<ReturnType<typeof tempDir>>;
let lake: string;
let duck: DuckDBInstance;
let db: DuckDBConnection;
let slices: BronzeSlice[];
const errors: unknown[] = [];

const rows = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJson();

beforeAll(async () => {
  dir = await tempDir('clickpulse-dq-');
  lake = join(dir.path, 'lake');
  duck = await DuckDBInstance.create(':memory:');
  db = await duck.connect();
  slices = await writeGeneratedBronze(db, lake, 2400, 60);
  await expectedEvents(db);
  // Bronze "commits" fifteen files (of 60 rows) at a time; the refiner takes each batch in as the stream would wake it.
  const committed: BronzeSlice[] = [];
  const refiner = new LakeRefiner(lake, 'clickpulse_events', () => committed, {
    onError: (e) => errors.push(e),
  });
  for (let i = 0; i < slices.length; i += 15) {
    committed.push(...slices.slice(i, i + 15));
    refiner.wake();
    await refiner.idle();
  }
}, 120_000);
afterAll(async () => {
  db.closeSync();
  duck.closeSync();
  await dir.remove();
});

const silver = () =>
  `read_parquet('${join(lakePaths(lake).silverEvents, '**', '*.parquet')}', hive_partitioning = true)`;
const dq = () => `read_parquet('${join(lakePaths(lake).silverDq, '**', '*.parquet')}')`;

describe('Silver streamed in small steps over duplicates, late events and a replay', () => {
  it('took every Bronze file in, in many steps, and its watermark is at Bronze’s end', () => {
    expect(errors).toEqual([]);
    expect(slices.length).toBeGreaterThan(80);
    const ends: Record<string, number> = {};
    for (const s of slices) ends[String(s.partition)] = Math.max(ends[String(s.partition)] ?? 0, s.last + 1);
    expect(readSilverProgress(lake, 'clickpulse_events')).toEqual({
      watermark: ends,
      pending: null,
      goldDates: [],
    });
  });

  it('holds each distinct event once, on its UTC day, with the independent session ids', async () => {
    const cols = `event_time, CAST(event_date AS VARCHAR) AS d, event_type, product_id, brand, price, user_id, user_session, session_id`;
    const wanted = `(SELECT t AS event_time, CAST(event_date AS VARCHAR) AS d, event_type, product_id, brand, price, user_id,
      user_session, session AS session_id FROM expected)`;
    const got = `(SELECT ${cols} FROM ${silver()})`;
    expect(await rows(`(${got} EXCEPT ALL ${wanted}) UNION ALL (${wanted} EXCEPT ALL ${got})`)).toEqual([]);
    const [n] = await rows(`SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM ${silver()}`);
    const [e] = await rows(`SELECT count(*) AS n FROM expected`);
    expect(n).toEqual({ n: e?.n, ids: e?.n });
  });

  it('keeps every Gold table equal to an independent query over the source', async () => {
    const source = `(SELECT t, event_type, product_id, category_id, category_code, brand, price, user_id, session FROM expected)`;
    for (const [table, diff] of await goldDifferences(db, lake, source))
      expect({ table, diff }).toEqual({ table, diff: [] });
  });

  it('counts in silver.dq_daily exactly the duplicates, replays, late events and session-less rows of the source', async () => {
    const [schema] = await rows(
      `SELECT string_agg(column_name || ' ' || column_type, ', ') AS s FROM (DESCRIBE SELECT * FROM ${dq()})`,
    );
    expect(schema).toEqual({ s: 'event_date DATE, reason VARCHAR, rows BIGINT' });
    const day = `CAST(timezone('UTC', t) AS DATE)`;
    const wanted = `(
      SELECT ${day} AS event_date, 'duplicate_in_source' AS reason, count(*) - count(DISTINCT (t, event_type, product_id, brand, price, user_id, user_session)) AS rows
        FROM arrivals WHERE pass < 3 GROUP BY ALL HAVING rows > 0
      UNION ALL SELECT ${day}, 'replayed_again', count(*) FROM arrivals WHERE pass = 3 GROUP BY ALL
      UNION ALL SELECT event_date, 'late_event', count(*) FROM expected WHERE late GROUP BY ALL
      UNION ALL SELECT event_date, 'no_session', count(*) FROM expected WHERE user_session IS NULL GROUP BY ALL)`;
    const got = `(SELECT event_date, reason, rows FROM ${dq()})`;
    expect(await rows(`(${got} EXCEPT ALL ${wanted}) UNION ALL (${wanted} EXCEPT ALL ${got})`)).toEqual([]);
    // Each reason really occurs, on more than one day, and late events cross midnight.
    const reasons = await rows(`SELECT reason, count(*) AS days FROM ${dq()} GROUP BY ALL ORDER BY reason`);
    expect(reasons.map((r) => r.reason)).toEqual([
      'duplicate_in_source',
      'late_event',
      'no_session',
      'replayed_again',
    ]);
    for (const r of reasons) expect(Number(r.days)).toBeGreaterThan(1);
    const [midnight] = await rows(
      `SELECT count(*) AS n FROM expected WHERE late AND strftime(t, '%H:%M') >= '23:50'`,
    );
    expect(Number(midnight?.n)).toBeGreaterThan(0);
    // One file per day.
    expect(readdirSync(lakePaths(lake).silverDq).sort()).toEqual([
      '2019-10-01.parquet',
      '2019-10-02.parquet',
      '2019-10-03.parquet',
    ]);
  });
});
