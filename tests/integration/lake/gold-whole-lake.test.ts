import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSilver } from '../../../pipeline/lake/build';
import { goldTables } from '../../../pipeline/lake/gold/tables';
import { USER_BUCKETS, WHOLE_LAKE } from '../../../pipeline/lake/gold/whole-lake';
import { lakePaths } from '../../../pipeline/lake/layout';
import { LakeRefiner } from '../../../pipeline/lake/refiner';
import {
  readSilverProgress,
  writeSilverProgress,
  type BronzeSlice,
} from '../../../pipeline/lake/silver/state';
import { writeGeneratedBronze } from '../../helpers/lake-dataset';
import { tempDir } from '../../helpers/temp';

/**
 * The whole-lake Gold tables (sessions, users, products, weekday × hour) are kept from the Silver rows each
 * refresh adds. Streamed in uneven steps — duplicates, session-less rows, sessions across midnight and across
 * steps, late events that move a session's start to an earlier day, a replay — every table equals its SQL
 * file run from scratch over Silver after every step; a step for one new session leaves the other start days'
 * files as they were; a Silver rebuild underneath is noticed and recomputed.
 */
let dir: Awaited<ReturnType<typeof tempDir>>;
let duck: DuckDBInstance;
let db: DuckDBConnection;
let slices: BronzeSlice[];
let lake: string;
const topic = 'clickpulse_events';

beforeAll(async () => {
  dir = await tempDir('clickpulse-gold-whole-');
  duck = await DuckDBInstance.create(':memory:');
  db = await duck.connect();
  await db.run("SET TimeZone = 'UTC'");
  lake = join(dir.path, 'lake');
  slices = await writeGeneratedBronze(db, lake, 1200, 23);
}, 60_000);
afterAll(async () => {
  db.closeSync();
  duck.closeSync();
  await dir.remove();
});

async function refine(committed: BronzeSlice[]): Promise<void> {
  const errors: unknown[] = [];
  const refiner = new LakeRefiner(lake, topic, () => committed, { onError: (e) => errors.push(e) });
  refiner.wake();
  await refiner.idle();
  expect(errors).toEqual([]);
}

/** Per whole-lake table: its columns, and the rows that differ from its SQL file over all of Silver. */
async function differences(): Promise<Record<string, unknown>> {
  await db.run(`CREATE OR REPLACE VIEW silver_events AS SELECT * FROM read_parquet(
    '${join(lakePaths(lake).silverEvents, '**', '*.parquet')}', hive_partitioning = true)`);
  const out: Record<string, unknown> = {};
  for (const table of WHOLE_LAKE) {
    const gold = `(SELECT * FROM read_parquet('${join(lakePaths(lake).goldTable(table), '**', '*.parquet')}'))`;
    const expected = `(${goldTables[table]})`;
    const columns = async (sql: string) =>
      (await db.runAndReadAll(`DESCRIBE ${sql}`)).getRowsJS().map(([name, type]) => `${name} ${type}`);
    const diff = await db.runAndReadAll(
      `(${gold} EXCEPT ALL ${expected}) UNION ALL (${expected} EXCEPT ALL ${gold})`,
    );
    out[table] = {
      same: (await columns(gold)).join(', ') === (await columns(expected)).join(', '),
      rows: diff.getRowObjectsJson(),
    };
  }
  return out;
}

/** Appends events to partition 0 of Bronze as the next offsets, and to `slices` as one more committed slice. */
async function appendBronze(events: { time: string; type: string; user: string; session: string }[]) {
  const end = Math.max(...slices.filter((s) => s.partition === 0).map((s) => s.last));
  const first = end + 1;
  const last = end + events.length;
  const bronze = lakePaths(lake).bronzeFile(topic, 0, BigInt(first), BigInt(last));
  const rows = events
    .map((e, i) => `(${i}, '${e.time}', '${e.type}', '${e.user}', '${e.session}')`)
    .join(', ');
  await db.run(`COPY (SELECT '${topic}' AS topic, 0 AS "partition", CAST(${first} + i AS BIGINT) AS "offset",
      user_id AS key, encode(to_json(json_object('event_time', t, 'event_type', type, 'product_id', 'p1',
        'price', 10.5, 'user_id', user_id, 'user_session', session))::VARCHAR) AS value,
      MAP {'clickpulse.source': 'extra', 'clickpulse.row': CAST(${first} + i AS VARCHAR)} AS headers,
      now() AS kafka_timestamp, now() AS ingest_time
    FROM (VALUES ${rows}) v(i, t, type, user_id, session) ORDER BY i) TO '${bronze}' (FORMAT parquet)`);
  slices = [...slices, { partition: 0, first, last, file: bronze.slice(lake.length + 1) }];
}

const equal = Object.fromEntries(WHOLE_LAKE.map((t) => [t, { same: true, rows: [] }]));

const startDays = () =>
  readdirSync(lakePaths(lake).goldTable('session_stats'))
    .filter((n) => n.startsWith('event_date='))
    .sort();

describe('whole-lake Gold tables, incremental', () => {
  it('equal a recomputation from Silver after every step of a stream', async () => {
    // Uneven steps: a step ends mid-session, the late source and the replay arrive in steps of their own.
    const cuts = [5, 40, 110, slices.length];
    let sessionsSpanningDays = 0;
    for (const cut of cuts) {
      await refine(slices.slice(0, cut));
      expect({ cut, ...(await differences()) }).toEqual({ cut, ...equal });
      sessionsSpanningDays = Number(
        (
          await db.runAndReadAll(`SELECT count(*) FROM read_parquet('${join(lakePaths(lake).goldTable('session_stats'), '**', '*.parquet')}')
            WHERE CAST(session_start AS DATE) <> CAST(session_end AS DATE)`)
        ).getRowsJS()[0]?.[0],
      );
    }
    // The data set did what it is for: sessions across days, several start days, users in several buckets.
    expect(sessionsSpanningDays).toBeGreaterThan(0);
    expect(startDays().length).toBeGreaterThanOrEqual(2);
    expect(readdirSync(lakePaths(lake).goldTable('user_activity')).length).toBe(USER_BUCKETS);
  });

  it('a step with one new session rewrites only its start day of session_stats and session_daily', async () => {
    const file = (table: string, day: string) =>
      join(lakePaths(lake).goldTable(table), `event_date=${day}`, 'data.parquet');
    const snap = (table: string, day: string) => ({
      ino: statSync(file(table, day)).ino,
      bytes: readFileSync(file(table, day)).toString('base64'),
    });
    const before = ['2019-10-01', '2019-10-02'].map((d) => [
      snap('session_stats', d),
      snap('session_daily', d),
    ]);
    await appendBronze(
      [0, 1, 2].map((i) => ({
        time: `2019-10-03T12:0${i}:00Z`,
        type: i === 2 ? 'purchase' : 'view',
        user: 'u-new',
        session: 'new-session',
      })),
    );
    await refine(slices);
    const after = ['2019-10-01', '2019-10-02'].map((d) => [
      snap('session_stats', d),
      snap('session_daily', d),
    ]);
    expect(after).toEqual(before);
    expect(await differences()).toEqual(equal);
  });

  it('picks the same user for a session whose first moment two users share, whichever step brought them', async () => {
    // The second user's event at the session's first moment arrives a step after the first user's, and it is
    // the one the rule picks (u-tie-4's hash is the smaller; by name u-tie-1 would be).
    await appendBronze([
      { time: '2019-10-04T08:00:00Z', type: 'view', user: 'u-tie-1', session: 'tied-session' },
      { time: '2019-10-04T08:05:00Z', type: 'view', user: 'u-tie-1', session: 'tied-session' },
    ]);
    await refine(slices);
    await appendBronze([
      { time: '2019-10-04T08:00:00Z', type: 'cart', user: 'u-tie-4', session: 'tied-session' },
    ]);
    await refine(slices);
    expect(await differences()).toEqual(equal);
    const [[picked, expected]] = (
      await db.runAndReadAll(`SELECT
        (SELECT user_id FROM read_parquet('${join(lakePaths(lake).goldTable('session_stats'), '**', '*.parquet')}')
          WHERE session_id = 'tied-session'),
        (SELECT u FROM (VALUES ('u-tie-1'), ('u-tie-4')) v(u) ORDER BY hash(u) LIMIT 1)`)
    ).getRowsJS() as [[string, string]];
    expect(picked).toBe(expected);
  });

  it('finishes a refresh a crash cut short: the tables it had not rewritten yet are recomputed', async () => {
    // What a kill between two files of a refresh leaves: the marker still says writing, one table already
    // holds rows of the new step (here: a user bucket gone, the heatmap doubled) and the others do not, and
    // Silver's state still owes Gold the step's day.
    const progress = readSilverProgress(lake, topic);
    writeSilverProgress(lake, topic, { ...progress, goldDates: ['2019-10-03'] });
    const gold = lakePaths(lake).goldTable;
    writeFileSync(join(lakePaths(lake).goldState, 'whole.json'), JSON.stringify({ writing: true }));
    rmSync(join(gold('user_activity'), 'part-00.parquet'));
    const heatmap = join(gold('hourly_heatmap'), 'data.parquet');
    await db.run(
      `COPY (SELECT * REPLACE (events * 2 AS events) FROM read_parquet('${heatmap}')) TO '${heatmap}.x' (FORMAT parquet)`,
    );
    renameSync(`${heatmap}.x`, heatmap);
    expect((await differences())['hourly_heatmap']).not.toEqual(equal['hourly_heatmap']);
    await refine(slices);
    expect(await differences()).toEqual(equal);
  });

  it('notices a Silver rebuild underneath and recomputes', async () => {
    await buildSilver(lake);
    await refine(slices);
    expect(await differences()).toEqual(equal);
  });
});
