import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Column } from '../contract';
import { duckdbError } from './sandbox';
import { quoteIdent } from './sql-builder';

/** The schema holding SQL results while they are open: shared by the sandbox's connections (see below). */
export const RESULTS_SCHEMA = 'clickpulse_results';
/** Rows materialized before the first answer: the grid's first pages (200 rows each) and then some. */
const FIRST_ROWS = 2048;
/** Rows appended between two commits: each commit makes them readable to pages; fewer commits cost less. */
const COMMIT_ROWS = 100_000;

/**
 * A SQL result being written into its table while the user already reads it. The user's statement runs
 * once, as a DuckDB streaming result on its own connection; its chunks go straight (native to native, no
 * per-row JS) into an appender on a second connection, committed every COMMIT_ROWS so pages of the rows
 * written so far can be read from the table on a third. A streaming result is closed by any other
 * statement on its connection, and temp tables belong to one connection: hence a plain table in
 * RESULTS_SCHEMA of the in-memory sandbox, which DuckDB spills to the sandbox's private temp folder.
 */
export class StreamedResult {
  /** Rows committed to the table so far (readable by unfiltered, unsorted pages). */
  rows = 0;
  complete = false;
  /** Settles when every row is in the table (or the materialization failed, with its error). */
  readonly done: Promise<number>;
  private finish!: (rows: number) => void;
  private fail!: (error: unknown) => void;
  private readonly progress = new Set<() => void>();

  private constructor(
    readonly table: string,
    readonly columns: Column[],
  ) {
    this.done = new Promise<number>((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
    });
    // Nobody may be waiting yet; the failure is still seen by whoever awaits `done` later.
    this.done.catch(() => undefined);
  }

  /**
   * Starts the statement on `stream` (`signal` aborts it, having interrupted that connection) and returns
   * once the first rows are in the table; `rest` then appends the others and settles when they are all in.
   */
  static async start(
    instance: DuckDBInstance,
    stream: DuckDBConnection,
    id: string,
    statement: string,
    signal: AbortSignal,
  ): Promise<{ result: StreamedResult; rest: Promise<void> }> {
    let result;
    try {
      result = await stream.stream(`SELECT * FROM (${statement}) AS source`);
    } catch (error) {
      throw duckdbError(error);
    }
    const names = result.columnNames();
    const types = result.columnTypes();
    const columns = names.map((name, i) => ({ name, type: String(types[i]) }));
    const tableName = `result_${id}`;
    const table = `${RESULTS_SCHEMA}.${quoteIdent(tableName)}`;
    const writer = await instance.connect();
    let appender;
    try {
      await writer.run(
        `CREATE SCHEMA IF NOT EXISTS ${RESULTS_SCHEMA}; CREATE TABLE ${table} (${columns
          .map((c) => `${quoteIdent(c.name)} ${c.type}`)
          .join(', ')})`,
      );
      appender = await writer.createAppender(tableName, RESULTS_SCHEMA);
    } catch (error) {
      writer.closeSync();
      throw duckdbError(error);
    }
    const streamed = new StreamedResult(table, columns);
    const chunks = result;
    const writing = appender;
    let pending = 0;
    const commit = () => {
      writing.flushSync();
      streamed.rows += pending;
      pending = 0;
      streamed.wake();
    };
    /** Appends chunks until `enough` rows are in (or the end); true at the end. */
    const pump = async (enough: number): Promise<boolean> => {
      for (;;) {
        const chunk = await chunks.fetchChunk();
        // An interrupted streaming result may simply end: what it holds then is not the whole result.
        if (signal.aborted) throw new Error('INTERRUPT: the query was cancelled');
        if (!chunk || chunk.rowCount === 0) return true;
        writing.appendDataChunk(chunk);
        pending += chunk.rowCount;
        if (pending >= enough) return false;
      }
    };
    const close = () => {
      try {
        writing.closeSync();
      } catch {
        // Already failed: closing reports the same error again.
      }
      writer.closeSync();
    };
    let ended;
    try {
      ended = await pump(FIRST_ROWS);
      commit();
    } catch (error) {
      close();
      await streamed.drop(stream);
      throw duckdbError(error);
    }
    const rest = (async () => {
      try {
        while (!ended) {
          ended = await pump(COMMIT_ROWS);
          commit();
        }
        streamed.complete = true;
        streamed.finish(streamed.rows);
      } catch (error) {
        streamed.fail(duckdbError(error));
        throw duckdbError(error);
      } finally {
        close();
        streamed.wake();
      }
    })();
    return { result: streamed, rest };
  }

  /** Resolves once `rows` rows are readable or the result is complete; rejects if it failed. */
  async until(rows: number): Promise<void> {
    while (!this.complete && this.rows < rows) {
      await Promise.race([this.done, new Promise<void>((wake) => this.progress.add(wake))]);
    }
  }

  private wake(): void {
    const waiting = [...this.progress];
    this.progress.clear();
    for (const wake of waiting) wake();
  }

  async drop(connection: DuckDBConnection): Promise<void> {
    await connection.run(`DROP TABLE IF EXISTS ${this.table}`).catch(() => undefined);
  }
}
