import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Postgres from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGold } from '../../../pipeline/lake/build';
import { startCli } from '../../helpers/cli';
import { differenceFromParquet, goldDifferences } from '../../helpers/postgres-compare';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres';
import { repoRoot } from '../../helpers/repo-root';
import { goldFiles } from '../../../pipeline/lake/gold/refresh';
import { STATE_TABLE } from '../../../pipeline/sinks/postgres/schema';
import { tempDir } from '../../helpers/temp';
import { buildSampleGold } from '../export/gold-lake';

let pg: TestPostgres;
let dir: Awaited<ReturnType<typeof tempDir>>;
let lake: string;
const PW_ENV = 'CLICKPULSE_RECOVERY_PG';

/** Silver of the sample grown to `copies` × 1,000 events over 5 days (new event ids), and its Gold. */
async function growLake(copies: number): Promise<void> {
  const events = join(lake, 'silver', 'events');
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  await db.run(`SET TimeZone = 'UTC';
    CREATE TABLE grown AS
      SELECT * REPLACE (md5(event_id || '-' || i) AS event_id, event_time + to_days(CAST(i % 5 AS INTEGER)) AS event_time,
                        user_session || '-' || i AS user_session, session_id || '-' || i AS session_id,
                        CAST(event_time + to_days(CAST(i % 5 AS INTEGER)) AS DATE) AS event_date)
      FROM read_parquet('${events}/**/*.parquet', hive_partitioning = true), range(${copies}) t(i);
    COPY grown TO '${events}.grown' (FORMAT parquet, PARTITION_BY (event_date), FILENAME_PATTERN 'part-{i}');`);
  db.closeSync();
  instance.closeSync();
  rmSync(events, { recursive: true });
  renameSync(`${events}.grown`, events);
  await buildGold(lake);
}

/** A Gold refresh: every row of the table's file changes a little, file replaced by rename. */
async function touchGold(table: string, column: string, n: number): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  // One file per table, or one per day.
  for (const file of goldFiles(join(lake, 'gold', table))) {
    await db.run(
      `COPY (SELECT * REPLACE (${column} + ${n} AS ${column}) FROM read_parquet('${file}')) TO '${file}.tmp' (FORMAT parquet)`,
    );
    renameSync(`${file}.tmp`, file);
  }
  db.closeSync();
  instance.closeSync();
}

beforeAll(async () => {
  dir = await tempDir('clickpulse-sink-recovery-');
  pg = await startTestPostgres();
  lake = join(dir.path, 'lake');
  await buildSampleGold(lake);
  await growLake(30);
  process.env[PW_ENV] = pg.password;
}, 120_000);
afterAll(async () => {
  delete process.env.CLICKPULSE_RECOVERY_PG;
  await pg?.stop();
  await dir?.remove();
});

async function expectEqual(schema: string): Promise<void> {
  expect(await goldDifferences(pg, dir.path, lake, schema)).toEqual([]);
  expect(
    await differenceFromParquet(
      pg,
      dir.path,
      schema,
      'silver_events',
      join(lake, 'silver', 'events', '**', '*.parquet'),
    ),
  ).toBeNull();
}

/** A session holding every row of the sink's state table locked, in an open transaction. */
async function lockSinkState(schema: string): Promise<Postgres.Client> {
  const { host, port, user, password } = pg;
  const client = new Postgres.Client({ host, port, user, password, database: 'clickpulse_test' });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT 1 FROM "${schema}".${STATE_TABLE} FOR UPDATE`);
    return client;
  } catch (error) {
    await client.end();
    throw error;
  }
}

describe('the PostgreSQL sink after a crash', () => {
  it(
    'SIGKILLed during syncs, then restarted: equal to Gold and Silver, no duplicates',
    { timeout: 180_000 },
    async () => {
      const args = [
        'sink',
        'postgres',
        '--lake',
        lake,
        '--url',
        pg.url(),
        '--schema',
        'crash',
        '--silver',
        '--password-env',
        PW_ENV,
        '--poll-ms',
        '50',
        '--config',
        join(dir.path, 'config'),
      ];
      let output = '';
      let seen = 0;
      for (let kill = 0; kill < 5; kill++) {
        // Kills 2 and 4 land in a transaction whatever the machine's load: the sink's state rows are held
        // locked, so its first transaction waits inside (the others may catch one between two statements).
        const holder = kill === 2 || kill === 4 ? await lockSinkState('crash') : undefined;
        const sink = startCli(args, { cwd: repoRoot });
        // Kill it while it holds a transaction open (seen from the server), or after 20 s at the latest.
        for (let i = 0; i < 200; i++) {
          const open = await pg.psql(
            `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'clickpulse-sink' AND xact_start IS NOT NULL AND state <> 'idle'`,
          );
          if (open !== '0') {
            seen++;
            break;
          }
          await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
        }
        try {
          await sink.stop('SIGKILL');
        } finally {
          await holder?.query('ROLLBACK');
          await holder?.end();
        }
        output += sink.stderr();
        // The lake moves on meanwhile: Gold refreshed, so the next run has work in hand when it is killed.
        await touchGold('session_stats', 'events', kill + 1);
        await touchGold('brand_daily', 'views', kill + 1);
      }
      const last = startCli([...args, '--once'], { cwd: repoRoot });
      const { code } = await last.exited;
      expect(last.stderr()).toBe('');
      expect(code).toBe(0);
      console.log(
        `open transactions seen before a kill: ${seen} of 5; sink output: ${output.slice(0, 2000)}`,
      );
      await expectEqual('crash');
      const log = readFileSync(join(pg.logFile), 'utf8');
      // At least kills 2 and 4, whose sink was waiting inside its transaction.
      expect(
        (log.match(/unexpected EOF on client connection with an open transaction/g) ?? []).length,
      ).toBeGreaterThanOrEqual(2);
    },
  );
});
