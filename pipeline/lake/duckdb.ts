import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/**
 * Caps for the lake's private DuckDBs. Unbounded, DuckDB may use 80 % of RAM and keeps what it took, which made
 * the app's RSS grow with the lake; capped, large sorts and aggregates spill to a temp folder instead.
 */
export const LAKE_DB_LIMITS = { memory: '320MB', spill: join(tmpdir(), 'clickpulse-duckdb-spill') };

let spills = 0;

/**
 * A spill folder for one DuckDB instance, inside LAKE_DB_LIMITS.spill. Every instance names its spill files
 * alike (duckdb_temp_storage_DEFAULT-0.tmp, …), so two instances sharing a folder overwrite each other's
 * blocks: at 1M rows Silver failed with "Corrupt temporary file", and three concurrent spilling sorts
 * crashed the process (SIGSEGV). DuckDB creates the folder when it first spills and removes it on close.
 */
function privateSpill(): string {
  mkdirSync(LAKE_DB_LIMITS.spill, { recursive: true });
  spills += 1;
  return join(LAKE_DB_LIMITS.spill, `${process.pid}-${threadId}-${spills}-${randomBytes(4).toString('hex')}`);
}

/**
 * Applies LAKE_DB_LIMITS (with a smaller memory cap when given), a spill folder of its own and UTC to the
 * first connection of a fresh instance.
 */
export async function limitLakeDb(db: DuckDBConnection, memory = LAKE_DB_LIMITS.memory): Promise<void> {
  const spill = privateSpill().replaceAll("'", "''");
  await db.run(
    `SET GLOBAL TimeZone = 'UTC'; SET memory_limit = '${memory}'; SET temp_directory = '${spill}'`,
  );
}

/** A private DuckDB for the lake's own transformations (never for users' SQL), in UTC. */
export async function withLakeDb<T>(
  work: (db: DuckDBConnection) => Promise<T>,
  options: { threads?: number } = {},
): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    await limitLakeDb(db);
    if (options.threads) await db.run(`SET threads = ${options.threads}`);
    return await work(db);
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

export async function scalar(db: DuckDBConnection, sql: string): Promise<number> {
  const result = await db.runAndReadAll(sql);
  return Number(result.getRowsJS()[0]?.[0] ?? 0);
}
