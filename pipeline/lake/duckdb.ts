import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/**
 * Caps for the lake's private DuckDBs. Unbounded, DuckDB may use 80 % of RAM and keeps what it took, which made
 * the app's RSS grow with the lake; capped, large sorts and aggregates spill to a temp folder instead.
 */
export const LAKE_DB_LIMITS = { memory: '320MB', spill: join(tmpdir(), 'clickpulse-duckdb-spill') };

/** Applies LAKE_DB_LIMITS (with a smaller memory cap when given) and UTC to a fresh connection. */
export async function limitLakeDb(db: DuckDBConnection, memory = LAKE_DB_LIMITS.memory): Promise<void> {
  await db.run(
    `SET GLOBAL TimeZone = 'UTC'; SET memory_limit = '${memory}'; SET temp_directory = '${LAKE_DB_LIMITS.spill.replaceAll("'", "''")}'`,
  );
}

/** A private DuckDB for the lake's own transformations (never for users' SQL), in UTC. */
export async function withLakeDb<T>(work: (db: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    await limitLakeDb(db);
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
