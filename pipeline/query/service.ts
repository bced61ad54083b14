import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  ApiError,
  type Catalog,
  type CatalogTable,
  type Column,
  type ColumnSummary,
  type Filter,
  type QueryOpened,
  type Sort,
} from '../contract';
import { lakePaths } from '../lake/layout';
import { forceQuoteOption, guardCsvColumns } from '../export/csv-guard';
import { resultToArrowIpc } from './arrow-page';
import {
  defineViews,
  describeTable,
  discoverTables,
  openedName,
  qualifiedName,
  sqlName,
  type TableLocation,
} from './catalog';
import { assertSingleSelect, createSandbox, duckdbError } from './sandbox';
import { buildSelect, findColumn, quoteIdent, quoteLiteral } from './sql-builder';

interface Session {
  id: string;
  /** A table reference or a parenthesised SELECT. */
  source: string;
  columns: Column[];
  connection: DuckDBConnection;
  counts: Map<string, number>;
}

const MAX_SESSIONS = 32;

/**
 * The lake's read-only query service: users' SQL runs in a sandboxed DuckDB (see sandbox.ts) over views of
 * every layer; results are read in pages, sorted and filtered on the server, and sent as Arrow IPC.
 */
export class QueryService {
  private sandbox: { instance: DuckDBInstance; key: string; lake: string } | undefined;
  private readonly opened = new Map<string, string>();
  private readonly sessions = new Map<string, Session>();
  private nextId = 1;
  private tables: TableLocation[] = [];
  private viewsKey = '';
  private refreshing: Promise<unknown> = Promise.resolve();

  constructor(private readonly lakeDir: () => Promise<string>) {}

  async catalog(): Promise<Catalog> {
    const { connection, lake } = await this.refresh();
    try {
      const tables: CatalogTable[] = [];
      for (const table of this.tables)
        tables.push(
          await describeTable(connection, table).catch((e: unknown) => Promise.reject(duckdbError(e))),
        );
      return { lakeDir: lake, tables };
    } finally {
      connection.closeSync();
    }
  }

  async runSql(sql: string): Promise<QueryOpened> {
    const { connection } = await this.refresh();
    let statement: string;
    try {
      statement = await assertSingleSelect(connection, sql);
    } catch (error) {
      connection.closeSync();
      throw error;
    }
    return this.open(connection, `(${statement})`);
  }

  async openTable(name: string): Promise<QueryOpened> {
    const { connection } = await this.refresh();
    const table = this.tables.find((t) => qualifiedName(t) === name);
    if (!table) {
      connection.closeSync();
      const known = this.tables.map(qualifiedName).join(', ') || 'none yet';
      throw new ApiError({
        code: 'NOT_FOUND',
        message: `No table "${name}" in the lake (tables: ${known}).`,
      });
    }
    return this.open(connection, sqlName(table));
  }

  async page(
    queryId: string,
    offset: number,
    limit: number,
    sort?: Sort,
    filters?: Filter[],
  ): Promise<{ totalRows: number; rows: number; page: Uint8Array }> {
    const session = this.session(queryId);
    const totalRows = await this.count(session, filters);
    const built = buildSelect(session.source, session.columns, { sort, filters, limit, offset });
    const result = await this.execute(session, built.sql, built.params);
    const { bytes, rows } = resultToArrowIpc(result);
    return { totalRows, rows, page: bytes };
  }

  cancel(queryId: string): { cancelled: boolean } {
    const session = this.sessions.get(queryId);
    session?.connection.interrupt();
    return { cancelled: session !== undefined };
  }

  close(queryId: string): { closed: boolean } {
    const session = this.sessions.get(queryId);
    if (!session) return { closed: false };
    this.sessions.delete(queryId);
    session.connection.closeSync();
    return { closed: true };
  }

  async summary(queryId: string, columnName: string, filters?: Filter[]): Promise<ColumnSummary> {
    const session = this.session(queryId);
    const column = findColumn(session.columns, columnName);
    const c = quoteIdent(column.name);
    const built = buildSelect(session.source, session.columns, {
      filters,
      select: `count(*), count(*) - count(${c}), CAST(min(${c}) AS VARCHAR), CAST(max(${c}) AS VARCHAR), approx_count_distinct(${c})`,
    });
    const result = await this.execute(session, built.sql, built.params);
    const [row] = result.getRowsJS();
    const [rows, nulls, min, max, distinct] = row ?? [];
    return {
      column: column.name,
      type: column.type,
      rows: Number(rows ?? 0),
      nulls: Number(nulls ?? 0),
      min: min === null || min === undefined ? null : String(min),
      max: max === null || max === undefined ? null : String(max),
      distinct: Number(distinct ?? 0),
    };
  }

  /**
   * Writes the result where the user asked. DuckDB (sandboxed to the lake) writes a temp file under
   * lake/_state; Node then copies it next to the target and renames it into place, so the target is
   * either the whole file or untouched.
   */
  async save(
    queryId: string,
    target: string,
    format: 'csv' | 'parquet',
    overwrite: boolean,
    sort?: Sort,
    filters?: Filter[],
    csvKeepNumbers = false,
  ): Promise<{ path: string; bytes: number }> {
    const session = this.session(queryId);
    const path = resolve(target);
    if (!overwrite && (await exists(path))) {
      throw new ApiError({
        code: 'CONFLICT',
        message: `${path} already exists; choose another name or allow overwriting.`,
      });
    }
    const lake = this.sandbox?.lake ?? (await this.lakeDir());
    const scratch = join(lakePaths(lake).state, 'exports');
    await mkdir(scratch, { recursive: true });
    const temp = join(scratch, `${queryId}-${process.pid}-${Date.now()}.${format}.tmp`);
    const built = buildSelect(session.source, session.columns, { sort, filters });
    let select = built.sql;
    let options = 'FORMAT parquet, COMPRESSION zstd';
    if (format === 'csv') {
      // The same formula-injection guard as the CSV export; DuckDB keeps the inner ORDER BY's order.
      const columns = session.columns.map((c) => ({ ...c, expression: `saved.${quoteIdent(c.name)}` }));
      const guard = guardCsvColumns(columns, csvKeepNumbers);
      select = `SELECT ${guard.select} FROM (${built.sql}) AS saved`;
      options = `FORMAT csv, HEADER true, DELIMITER ','${forceQuoteOption(guard.forceQuote)}`;
    }
    const beside = `${path}.${process.pid}.partial`;
    try {
      await this.execute(session, `COPY (${select}) TO ${quoteLiteral(temp)} (${options})`, built.params);
      await mkdir(dirname(path), { recursive: true });
      await copyFile(temp, beside);
      await rename(beside, path);
      return { path, bytes: (await stat(path)).size };
    } catch (error) {
      await rm(beside, { force: true });
      if (error instanceof ApiError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
        throw new ApiError({
          code: 'FAILED',
          message: `Cannot write ${path}: the folder is read-only or not yours.`,
        });
      }
      throw duckdbError(error);
    } finally {
      await rm(temp, { force: true });
    }
  }

  async openFolder(path: string): Promise<CatalogTable> {
    const dir = resolve(path);
    const info = await stat(dir).catch(() => undefined);
    if (!info) throw new ApiError({ code: 'NOT_FOUND', message: `${dir} does not exist.` });
    const name = openedName(dir, this.opened);
    this.opened.set(name, dir);
    const { connection } = await this.refresh();
    try {
      const table = this.tables.find((t) => t.layer === 'files' && t.name === name);
      if (!table) {
        this.opened.delete(name);
        throw new ApiError({ code: 'VALIDATION', message: `${dir} holds no .parquet files.` });
      }
      return await describeTable(connection, table).catch((e: unknown) => Promise.reject(duckdbError(e)));
    } finally {
      connection.closeSync();
    }
  }

  async dispose(): Promise<void> {
    for (const id of [...this.sessions.keys()]) this.close(id);
    this.sandbox?.instance.closeSync();
    this.sandbox = undefined;
  }

  /**
   * Makes sure the sandbox allows the current lake and opened folders and that a view exists for every
   * table on disk. One refresh at a time: concurrent view definitions conflict in DuckDB's catalog. Views
   * read globs, so they change only when the set of tables does — or, for Bronze, when its files do.
   */
  private refresh(): Promise<{ connection: DuckDBConnection; lake: string }> {
    const run = this.refreshing.then(() => this.refreshNow());
    this.refreshing = run.catch(() => undefined);
    return run;
  }

  private async refreshNow(): Promise<{ connection: DuckDBConnection; lake: string }> {
    const lake = resolve(await this.lakeDir());
    const dirs = [lake, ...this.opened.values()];
    const key = JSON.stringify(dirs);
    if (this.sandbox?.key !== key) {
      // The allowed folders are locked into an instance: a new set needs a new instance.
      await this.dispose();
      await mkdir(lake, { recursive: true });
      this.sandbox = { instance: await createSandbox(dirs), key, lake };
      this.viewsKey = '';
    }
    const connection = await this.sandbox.instance.connect();
    this.tables = await discoverTables(lake, this.opened);
    const viewsKey = JSON.stringify(this.tables);
    if (viewsKey !== this.viewsKey) {
      await defineViews(connection, this.tables);
      this.viewsKey = viewsKey;
    }
    return { connection, lake };
  }

  private async open(connection: DuckDBConnection, source: string): Promise<QueryOpened> {
    try {
      const probe = await connection.runAndReadAll(`SELECT * FROM ${source} AS source LIMIT 0`);
      const columns = probe.columnNames().map((name, i) => ({ name, type: String(probe.columnType(i)) }));
      const session: Session = { id: `q${this.nextId++}`, source, columns, connection, counts: new Map() };
      this.sessions.set(session.id, session);
      this.evictOldSessions();
      return { queryId: session.id, columns, totalRows: await this.count(session) };
    } catch (error) {
      connection.closeSync();
      throw duckdbError(error);
    }
  }

  private async count(session: Session, filters?: Filter[]): Promise<number> {
    const key = JSON.stringify(filters ?? []);
    const known = session.counts.get(key);
    if (known !== undefined) return known;
    const built = buildSelect(session.source, session.columns, { filters, select: 'count(*)' });
    const result = await this.execute(session, built.sql, built.params);
    const total = Number(result.getRowsJS()[0]?.[0] ?? 0);
    session.counts.set(key, total);
    return total;
  }

  private async execute(session: Session, sql: string, params: string[]) {
    try {
      if (params.length === 0) return await session.connection.runAndReadAll(sql);
      const prepared = await session.connection.prepare(sql);
      params.forEach((value, i) => prepared.bindVarchar(i + 1, value));
      return await prepared.runAndReadAll();
    } catch (error) {
      throw duckdbError(error);
    }
  }

  private session(queryId: string): Session {
    const session = this.sessions.get(queryId);
    if (!session)
      throw new ApiError({
        code: 'NOT_FOUND',
        message: `Query ${queryId} is closed or unknown; run it again.`,
      });
    return session;
  }

  private evictOldSessions(): void {
    for (const id of [...this.sessions.keys()].slice(0, Math.max(0, this.sessions.size - MAX_SESSIONS)))
      this.close(id);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
