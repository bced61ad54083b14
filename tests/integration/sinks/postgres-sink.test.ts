import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli';
import { goldDifferences, rowVersions } from '../../helpers/postgres-compare';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres';
import { goldFiles } from '../../../pipeline/lake/gold/refresh';
import { tempDir } from '../../helpers/temp';
import { buildSampleGold } from '../export/gold-lake';

let pg: TestPostgres;
let dir: Awaited<ReturnType<typeof tempDir>>;
let lake: string;
let gold: Record<string, number>;

beforeAll(async () => {
  dir = await tempDir('clickpulse-sink-');
  pg = await startTestPostgres();
  lake = join(dir.path, 'lake');
  gold = await buildSampleGold(lake);
  process.env.CLICKPULSE_TEST_PG = pg.password;
});
afterAll(async () => {
  delete process.env.CLICKPULSE_TEST_PG;
  await pg?.stop();
  await dir?.remove();
});

const sink = (...extra: string[]) =>
  runCli([
    'sink',
    'postgres',
    '--lake',
    lake,
    '--url',
    pg.url(),
    '--password-env',
    'CLICKPULSE_TEST_PG',
    '--config',
    join(dir.path, 'config'),
    ...extra,
  ]);

/**
 * A Gold refresh as the lake does it: the table recomputed ($GOLD is the table now) and written back in its
 * layout — one file per day in event_date=… folders (a new day gets its folder, a day with no rows left loses
 * it), or else one file in place of the table's files (user_activity's buckets among them) — each file by temp
 * + rename.
 */
async function rewriteGold(table: string, select: string): Promise<void> {
  const dir = join(lake, 'gold', table);
  const files = goldFiles(dir);
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  await db.run("SET TimeZone = 'UTC'");
  const all = `read_parquet([${files.map((f) => `'${f}'`).join(', ')}])`;
  await db.run(`CREATE TABLE rewritten AS ${select.replaceAll('$GOLD', all)}`);
  const write = async (where: string, file: string) => {
    mkdirSync(dirname(file), { recursive: true });
    await db.run(`COPY (SELECT * FROM rewritten ${where}) TO '${file}.tmp' (FORMAT parquet)`);
    renameSync(`${file}.tmp`, file);
  };
  if (files.some((f) => f.includes('event_date='))) {
    const days = (await db.runAndReadAll('SELECT DISTINCT CAST(event_date AS VARCHAR) FROM rewritten'))
      .getRowsJS()
      .map(([d]) => String(d));
    for (const day of days)
      await write(`WHERE event_date = DATE '${day}'`, join(dir, `event_date=${day}`, 'data.parquet'));
    for (const f of files)
      if (!days.some((d) => f.includes(`event_date=${d}`))) rmSync(dirname(f), { recursive: true });
  } else {
    await write('', join(dir, 'data.parquet'));
    for (const f of files) if (f !== join(dir, 'data.parquet')) rmSync(f);
  }
  db.closeSync();
  instance.closeSync();
}

describe('clickpulse sink postgres', () => {
  it('mirrors every Gold table with its grain as primary key and real types; equal to Gold', async () => {
    const r = await sink('--once');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(await goldDifferences(pg, dir.path, lake, 'clickpulse')).toEqual([]);
    for (const [table, rows] of Object.entries(gold)) {
      expect(await pg.psql(`SELECT count(*) FROM clickpulse.${table}`)).toBe(String(rows));
    }
    const pk = await pg.psql(`SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM pg_index i
      JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord) ON true
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = 'clickpulse.category_daily'::regclass AND i.indisprimary`);
    expect(pk).toBe('event_date,category_l1,category_l2');
    const types = await pg.psql(`SELECT string_agg(column_name || ' ' || CASE WHEN data_type = 'numeric'
        THEN 'numeric(' || numeric_precision || ',' || numeric_scale || ')' ELSE data_type END, '; ' ORDER BY ordinal_position)
      FROM information_schema.columns WHERE table_schema = 'clickpulse' AND table_name = 'product_performance'`);
    expect(types).toBe(
      'product_id text; category_code text; brand text; views bigint; carts bigint; purchases bigint; revenue numeric(38,2); view_sessions bigint; view_purchase_sessions bigint; conversion double precision; first_seen timestamp with time zone; last_seen timestamp with time zone',
    );
  });

  it('a second run changes nothing: no row is rewritten, even after Gold is rewritten with the same rows', async () => {
    const tables = Object.keys(gold);
    const before = await rowVersions(pg, 'clickpulse', tables);
    expect((await sink('--once')).code).toBe(0);
    await rewriteGold('funnel_daily', 'SELECT * FROM $GOLD');
    await rewriteGold('user_activity', 'SELECT * FROM $GOLD');
    expect((await sink('--once')).code).toBe(0);
    expect(await rowVersions(pg, 'clickpulse', tables)).toEqual(before);
  });

  it('applies a Gold refresh exactly: changed, new and vanished rows, by key and by day', async () => {
    // By key: one user's figures change, one user disappears, one appears.
    await rewriteGold(
      'user_activity',
      `SELECT * REPLACE (CASE WHEN user_id = (SELECT min(user_id) FROM $GOLD) THEN events + 7 ELSE events END AS events)
         FROM $GOLD WHERE user_id <> (SELECT max(user_id) FROM $GOLD)
       UNION ALL SELECT 'new-user' AS user_id, * EXCLUDE (user_id) FROM (SELECT * FROM $GOLD LIMIT 1)`,
    );
    // By day: a day's brands change (one brand gone, one's views changed) and a new day appears.
    await rewriteGold(
      'brand_daily',
      `SELECT * REPLACE (views + 1 AS views) FROM $GOLD WHERE brand <> (SELECT max(brand) FROM $GOLD)
       UNION ALL SELECT * REPLACE (event_date + 1 AS event_date) FROM $GOLD`,
    );
    const untouched = await rowVersions(pg, 'clickpulse', ['session_stats', 'traffic_minute']);
    expect((await sink('--once')).code).toBe(0);
    expect(await goldDifferences(pg, dir.path, lake, 'clickpulse')).toEqual([]);
    expect(await pg.psql(`SELECT count(*) FROM clickpulse.user_activity WHERE user_id = 'new-user'`)).toBe(
      '1',
    );
    expect(await rowVersions(pg, 'clickpulse', ['session_stats', 'traffic_minute'])).toEqual(untouched);
  });

  it('records its high-water mark per table in the target database', async () => {
    const marks = await pg.psql(
      `SELECT count(*) FROM clickpulse._clickpulse_sink WHERE source = 'gold' AND fingerprint IS NOT NULL`,
    );
    expect(Number(marks)).toBe(Object.keys(gold).length);
  });

  it('mirrors Silver into silver_events partitioned by event_date when asked', async () => {
    expect((await sink('--once', '--silver')).code).toBe(0);
    const { differenceFromParquet } = await import('../../helpers/postgres-compare');
    expect(
      await differenceFromParquet(
        pg,
        dir.path,
        'clickpulse',
        'silver_events',
        join(lake, 'silver', 'events', '**', '*.parquet'),
      ),
    ).toBeNull();
    expect(
      await pg.psql(`SELECT relkind FROM pg_class WHERE oid = 'clickpulse.silver_events'::regclass`),
    ).toBe('p');
    expect(
      Number(
        await pg.psql(
          `SELECT count(*) FROM pg_inherits WHERE inhparent = 'clickpulse.silver_events'::regclass`,
        ),
      ),
    ).toBeGreaterThan(0);
  });

  it('rebuilds every table in PostgreSQL, swapped in at once, equal to Gold again', async () => {
    await pg.psql(`DELETE FROM clickpulse.funnel_daily`);
    const oid = await pg.psql(`SELECT 'clickpulse.funnel_daily'::regclass::oid`);
    const r = await sink('--rebuild', '--silver');
    expect(r.err).toBe('');
    expect(r.out).toContain('clickpulse.funnel_daily: 1 rows');
    expect(await pg.psql(`SELECT 'clickpulse.funnel_daily'::regclass::oid`)).not.toBe(oid);
    expect(await goldDifferences(pg, dir.path, lake, 'clickpulse')).toEqual([]);
    expect(await pg.psql(`SELECT count(*) FROM pg_namespace WHERE nspname = 'clickpulse__rebuild'`)).toBe(
      '0',
    );
    // and the sink carries on from the rebuilt marks without rewriting anything
    const before = await rowVersions(pg, 'clickpulse', Object.keys(gold));
    expect((await sink('--once')).code).toBe(0);
    expect(await rowVersions(pg, 'clickpulse', Object.keys(gold))).toEqual(before);
  });
  it('replaces a Silver day whose files changed (twice), and only that day', async () => {
    const { differenceFromParquet } = await import('../../helpers/postgres-compare');
    const events = join(lake, 'silver', 'events');
    for (const round of [1, 2]) {
      const instance = await DuckDBInstance.create(':memory:');
      const db = await instance.connect();
      await db.run("SET TimeZone = 'UTC'");
      const day = String(
        (
          await db.runAndReadAll(
            `SELECT strftime(min(event_date), '%Y-%m-%d') FROM read_parquet('${events}/**/*.parquet', hive_partitioning = true)`,
          )
        ).getRowsJS()[0]?.[0],
      );
      const folder = join(events, `event_date=${day}`);
      await db.run(`COPY (SELECT * REPLACE (price + ${round} AS price) FROM read_parquet('${folder}/*.parquet') LIMIT 900)
        TO '${folder}/.round.parquet.tmp' (FORMAT parquet)`);
      db.closeSync();
      instance.closeSync();
      const { readdirSync, rmSync } = await import('node:fs');
      for (const f of readdirSync(folder)) if (f.endsWith('.parquet')) rmSync(join(folder, f));
      renameSync(join(folder, '.round.parquet.tmp'), join(folder, `part-r${round}.parquet`));
      const r = await sink('--once', '--silver');
      expect(r.err).toBe('');
      expect(
        await differenceFromParquet(
          pg,
          dir.path,
          'clickpulse',
          'silver_events',
          join(events, '**', '*.parquet'),
        ),
      ).toBeNull();
      expect(await pg.psql(`SELECT count(*) FROM clickpulse.silver_events`)).toBe('900');
    }
  });
});

describe('clickpulse sink postgres: failures named precisely', () => {
  it('a wrong password', async () => {
    process.env.CLICKPULSE_WRONG_PG = 'not-the-password';
    const r = await runCli([
      'sink',
      'postgres',
      '--lake',
      lake,
      '--url',
      pg.url(),
      '--password-env',
      'CLICKPULSE_WRONG_PG',
      '--once',
    ]);
    delete process.env.CLICKPULSE_WRONG_PG;
    expect(r.code).toBe(1);
    expect(r.err).toContain('Password authentication failed for user "sink"');
    expect(r.err).toContain('password from CLICKPULSE_WRONG_PG');
    expect(r.err).not.toContain('not-the-password');
  });

  it('a missing database', async () => {
    const r = await runCli([
      'sink',
      'postgres',
      '--lake',
      lake,
      '--url',
      pg.url('no_such_db'),
      '--password-env',
      'CLICKPULSE_TEST_PG',
      '--test',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('DATABASE_MISSING: Database "no_such_db" does not exist');
  });

  it('an unreachable host', async () => {
    const r = await runCli([
      'sink',
      'postgres',
      '--url',
      'postgres://sink@127.0.0.1:1/x',
      '--password-env',
      'CLICKPULSE_TEST_PG',
      '--test',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('HOST_UNREACHABLE: Cannot reach PostgreSQL at 127.0.0.1:1: connection refused');
  });

  it('no password at all', async () => {
    const r = await runCli([
      'sink',
      'postgres',
      '--url',
      pg.url(),
      '--password-env',
      'CLICKPULSE_UNSET_PG',
      '--test',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('PASSWORD_MISSING');
  });

  it('a conflicting existing table: nothing is changed in it', async () => {
    await pg.psql(
      `CREATE SCHEMA theirs; CREATE TABLE theirs.funnel_daily (id int PRIMARY KEY, note text); INSERT INTO theirs.funnel_daily VALUES (1, 'mine')`,
    );
    const r = await sink('--once', '--schema', 'theirs');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'Table theirs.funnel_daily already exists and was not created by the ClickPulse sink; nothing was changed',
    );
    expect(await pg.psql(`SELECT id || note FROM theirs.funnel_daily`)).toBe('1mine');
  });

  it('a column whose type changed in the lake: a clear error, nothing altered', async () => {
    await pg.psql(`ALTER TABLE clickpulse.session_daily ALTER COLUMN sessions TYPE integer`);
    await rewriteGold('session_daily', 'SELECT * FROM $GOLD');
    const r = await sink('--once');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'Column clickpulse.session_daily.sessions is integer in PostgreSQL but bigint in the lake',
    );
    await pg.psql(`ALTER TABLE clickpulse.session_daily ALTER COLUMN sessions TYPE bigint`);
  });

  it('a column added in the lake is added in PostgreSQL and filled', async () => {
    await rewriteGold('hourly_heatmap', 'SELECT *, events * 2 AS doubled FROM $GOLD');
    const r = await sink('--once');
    expect(r.err).toBe('');
    expect(await goldDifferences(pg, dir.path, lake, 'clickpulse')).toEqual([]);
  });
});
