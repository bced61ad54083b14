import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** A private DuckDB for the lake's own transformations (never for users' SQL), in UTC. */
export async function withLakeDb<T>(work: (db: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    await db.run("SET TimeZone = 'UTC'");
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
