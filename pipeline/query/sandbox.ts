import { DuckDBInstance, StatementType, type DuckDBConnection } from '@duckdb/node-api';
import { resolve, sep } from 'node:path';
import { ApiError } from '../contract';

/**
 * A DuckDB instance for users' SQL: it may read files only inside the given folders (the lake and folders
 * the user opened), cannot install or load extensions, and its configuration is locked so SQL cannot undo
 * any of that. Statement types are checked as well: only a single SELECT runs (COPY or ATTACH into the
 * lake would otherwise pass the path check).
 */
export async function createSandbox(allowedDirs: string[]): Promise<DuckDBInstance> {
  const instance = await DuckDBInstance.create(':memory:');
  const setup = await instance.connect();
  const dirs = allowedDirs.map((d) => `'${(resolve(d) + sep).replace(/'/g, "''")}'`).join(', ');
  await setup.run(
    [
      `SET allowed_directories = [${dirs}]`,
      'SET enable_external_access = false',
      'SET autoinstall_known_extensions = false',
      'SET autoload_known_extensions = false',
      'SET lock_configuration = true',
    ].join('; '),
  );
  setup.closeSync();
  return instance;
}

const STATEMENT_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(StatementType)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [v as number, k]),
);

/** Refuses anything but one SELECT, naming what was refused. */
export async function assertSingleSelect(connection: DuckDBConnection, sql: string): Promise<void> {
  const statements = await connection.extractStatements(sql).catch((error: unknown) => {
    throw duckdbError(error);
  });
  if (statements.count === 0) throw new ApiError({ code: 'VALIDATION', message: 'The query is empty.' });
  if (statements.count > 1) {
    throw new ApiError({
      code: 'VALIDATION',
      message: `Run one statement at a time (this text has ${statements.count}).`,
    });
  }
  const prepared = await statements.prepare(0).catch((error: unknown) => {
    throw duckdbError(error);
  });
  const type = prepared.statementType;
  prepared.destroySync();
  if (type !== StatementType.SELECT) {
    const name = (STATEMENT_NAMES[type] ?? 'this').replace(/_/g, ' ');
    throw new ApiError({
      code: 'FORBIDDEN',
      message: `Read-only: ${name} statements are refused. The lake can be queried with SELECT only.`,
    });
  }
}

/** DuckDB's own message (it is already readable), as an API error; interrupts become CANCELLED. */
export function duckdbError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/INTERRUPT/i.test(message))
    return new ApiError({ code: 'CANCELLED', message: 'The query was cancelled.' });
  if (/Permission Error|disabled by configuration/i.test(message)) {
    return new ApiError({
      code: 'FORBIDDEN',
      message: `${message}\n(Queries can read the lake and folders you opened, nothing else.)`,
    });
  }
  return new ApiError({ code: 'FAILED', message });
}
