import { DuckDBInstance, StatementType, type DuckDBConnection } from '@duckdb/node-api';
import { availableParallelism, totalmem } from 'node:os';
import { resolve, sep } from 'node:path';
import { ApiError } from '../contract';
import { statementText } from './statement-text';

/** What users' SQL may take of the machine; see sandboxLimits() for the defaults. */
export interface SandboxLimits {
  memoryBytes: number;
  threads: number;
  /** DuckDB's spill folder: private to this instance, never a folder SQL is allowed to read. */
  tempDir: string;
  tempBytes: number;
}

const GIB = 1024 ** 3;

/** A quarter of the RAM (at most 4 GiB), half the cores (at least one), up to 8 GiB of spill files. */
export function sandboxLimits(tempDir: string): SandboxLimits {
  return {
    memoryBytes: Math.min(Math.floor(totalmem() / 4), 4 * GIB),
    threads: Math.max(1, Math.floor(availableParallelism() / 2)),
    tempDir,
    tempBytes: 8 * GIB,
  };
}

/**
 * A DuckDB instance for users' SQL: it may read files only inside the given folders (the lake and folders
 * the user opened), cannot install or load extensions, has its own memory, thread and spill budget, works
 * in UTC (GLOBAL: every user session, not only this setup connection), and its configuration is locked so SQL cannot undo any of that. Statement types are checked as
 * well: only a single SELECT runs (COPY or ATTACH into the lake would otherwise pass the path check).
 */
export async function createSandbox(allowedDirs: string[], limits: SandboxLimits): Promise<DuckDBInstance> {
  const instance = await DuckDBInstance.create(':memory:');
  const setup = await instance.connect();
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const dirs = allowedDirs.map((d) => literal(resolve(d) + sep)).join(', ');
  try {
    await setup.run(
      [
        "SET GLOBAL TimeZone = 'UTC'",
        `SET memory_limit = '${limits.memoryBytes}B'`,
        `SET threads = ${limits.threads}`,
        `SET temp_directory = ${literal(limits.tempDir)}`,
        `SET max_temp_directory_size = '${limits.tempBytes}B'`,
        `SET allowed_directories = [${dirs}]`,
        'SET enable_external_access = false',
        'SET autoinstall_known_extensions = false',
        'SET autoload_known_extensions = false',
        'SET lock_configuration = true',
      ].join('; '),
    );
  } catch (error) {
    instance.closeSync();
    throw error;
  } finally {
    setup.closeSync();
  }
  return instance;
}

const STATEMENT_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(StatementType)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [v as number, k]),
);

/**
 * Words a read-only statement may begin with. Anything else is refused before DuckDB prepares it: some
 * statements act while being prepared (EXPORT DATABASE creates its folder), and a PRAGMA is rewritten into
 * a query whose errors would show that rewrite rather than what the user typed.
 */
const READ_ONLY_STARTS = new Set([
  'SELECT',
  'WITH',
  'FROM',
  'VALUES',
  'TABLE',
  'DESCRIBE',
  'SUMMARIZE',
  'SHOW',
  'PIVOT',
  'UNPIVOT',
]);
/** Statements refused on their first word alone, even when DuckDB could not parse the rest. */
const WRITE_OR_ADMIN = new Set(
  'INSERT UPDATE DELETE MERGE TRUNCATE CREATE DROP ALTER COMMENT COPY EXPORT IMPORT ATTACH DETACH USE PRAGMA SET RESET INSTALL LOAD FORCE CALL EXPLAIN PREPARE EXECUTE DEALLOCATE VACUUM CHECKPOINT ANALYZE BEGIN START COMMIT END ROLLBACK ABORT'.split(
    ' ',
  ),
);

function refused(name: string): ApiError {
  return new ApiError({
    code: 'FORBIDDEN',
    message: `Read-only: ${name} statements are refused. The lake can be queried with SELECT only.`,
  });
}

/**
 * Refuses anything but one SELECT, naming what was refused, and returns the statement to run: the text
 * without trailing comments and semicolons (see statement-text.ts).
 */
export async function assertSingleSelect(connection: DuckDBConnection, sql: string): Promise<string> {
  const { body, keyword } = statementText(sql);
  if (!body) throw new ApiError({ code: 'VALIDATION', message: 'The query is empty.' });
  if (WRITE_OR_ADMIN.has(keyword)) throw refused(keyword);
  // Parsing has no side effects, so a typo gets DuckDB's own message before the first word is judged.
  const statements = await connection.extractStatements(body).catch((error: unknown) => {
    throw duckdbError(error);
  });
  if (/^[A-Z_]+$/.test(keyword) && !READ_ONLY_STARTS.has(keyword)) throw refused(keyword);
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
  if (type !== StatementType.SELECT) throw refused((STATEMENT_NAMES[type] ?? 'this').replace(/_/g, ' '));
  return body;
}

/** Prefixes the Node binding adds to DuckDB's own message; they say nothing to a user. */
const BINDING_PREFIX = /^(Failed to (extract statements|prepare|execute)[^:]*|Extracted statements? [^:]*): /;
/** DuckDB's "LINE 1: …" excerpt when it quotes the service's own wrapping of the statement, not the user's text. */
const WRAPPER_EXCERPT = /\n*LINE \d+: [^\n]*\) AS (source|saved)\b[^\n]*\n[ \t]*\^/g;

/** DuckDB's own message (it is already readable), as an API error; interrupts become CANCELLED. */
export function duckdbError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(BINDING_PREFIX, '').replace(WRAPPER_EXCERPT, '').trim();
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
