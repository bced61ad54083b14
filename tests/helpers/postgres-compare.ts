import { DuckDBInstance } from '@duckdb/node-api';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestPostgres } from './postgres';

const run = promisify(execFile);

/**
 * Compares a PostgreSQL table with a Parquet table, a query on each side: psql exports
 * `SELECT * FROM schema.table` as CSV, DuckDB reads it back with the Parquet side's column types and both
 * EXCEPTs must be empty and the counts equal. Returns a description of the difference, or null when equal.
 */
export async function differenceFromParquet(
  pg: TestPostgres,
  dir: string,
  schema: string,
  table: string,
  parquetGlob: string,
): Promise<string | null> {
  const csv = join(dir, `${schema}.${table}.compare.csv`);
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    await db.run("SET TimeZone = 'UTC'");
    await db.run(
      `CREATE TEMP TABLE lake AS SELECT * FROM read_parquet('${parquetGlob}', hive_partitioning = true)`,
    );
    const described = (await db.runAndReadAll('DESCRIBE lake')).getRowsJS();
    const names = described.map((r) => String(r[0]));
    const types = Object.fromEntries(described.map((r) => [String(r[0]), String(r[1])]));
    const list = names.map((n) => `"${n}"`).join(', ');
    await run(
      join(pg.bin, 'psql'),
      [
        '-X',
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        pg.host,
        '-p',
        String(pg.port),
        '-U',
        pg.user,
        '-d',
        'clickpulse_test',
        '-c',
        `\\copy (SELECT ${list} FROM "${schema}"."${table}") TO '${csv}' WITH (FORMAT csv, FORCE_QUOTE *)`,
      ],
      { env: { ...process.env, PGPASSWORD: pg.password, PGTZ: 'UTC' } },
    );
    await db.run(
      `CREATE TEMP TABLE pg AS SELECT * FROM read_csv('${csv}', auto_detect = false, delim = ',', header = false, columns = ${JSON.stringify(types).replace(/"/g, "'")}, quote = '"', escape = '"', nullstr = '', allow_quoted_nulls = false)`,
    );
    const count = async (sql: string) => Number((await db.runAndReadAll(sql)).getRowsJS()[0]?.[0]);
    const lakeRows = await count('SELECT count(*) FROM lake');
    const pgRows = await count('SELECT count(*) FROM pg');
    const missing = await count(
      `SELECT count(*) FROM (SELECT ${list} FROM lake EXCEPT ALL SELECT ${list} FROM pg)`,
    );
    const extra = await count(
      `SELECT count(*) FROM (SELECT ${list} FROM pg EXCEPT ALL SELECT ${list} FROM lake)`,
    );
    if (lakeRows === pgRows && missing === 0 && extra === 0) return null;
    return `${schema}.${table}: lake ${lakeRows} rows, PostgreSQL ${pgRows}; ${missing} lake rows missing, ${extra} extra`;
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

/** Every Gold table of a lake compared with its PostgreSQL table; the list of differences (empty when equal). */
export async function goldDifferences(
  pg: TestPostgres,
  dir: string,
  lake: string,
  schema: string,
): Promise<string[]> {
  const gold = join(lake, 'gold');
  const out: string[] = [];
  for (const table of readdirSync(gold).sort()) {
    // One file per table, or one per day (event_date=… folders).
    if (!existsSync(join(gold, table))) continue;
    const diff = await differenceFromParquet(pg, dir, schema, table, join(gold, table, '**', '*.parquet'));
    if (diff) out.push(diff);
  }
  return out;
}

/** Each row's physical version (xmin, ctid) per table: equal before and after means nothing was rewritten. */
export async function rowVersions(
  pg: TestPostgres,
  schema: string,
  tables: string[],
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of tables) {
    out[t] = await pg.psql(
      `SELECT md5(coalesce(string_agg(xmin::text || ctid::text, ',' ORDER BY ctid), '')) FROM "${schema}"."${t}"`,
    );
  }
  return out;
}
