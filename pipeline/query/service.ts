import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { copyFile, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  ApiError,
  columnKind,
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
  readExpression,
  sqlName,
  type TableLocation,
} from './catalog';
import { assertSingleSelect, createSandbox, duckdbError, sandboxLimits } from './sandbox';
import { UserQueryGate } from './user-gate';
import { buildSelect, findColumn, pageSelect, quoteIdent, quoteLiteral } from './sql-builder';
import { StreamedResult } from './streamed-result';

interface Session {
  id: string;
  /** A table reference: a lake view, or the table holding a SQL result (see streamed-result.ts). */
  source: string;
  columns: Column[];
  connection: DuckDBConnection;
  counts: Map<string, number>;
  /**
   * A lake table's read_parquet(...) over its files (not Bronze's): its sorted pages read this, late
   * materialized, with SCAN_ROW as their tiebreak.
   */
  scan?: string;
  /** What tells the source's rows apart when it is read without `scan` (see buildSelect's tiebreak). */
  tiebreak?: string[];
  /** The table this session owns (a SQL result), dropped when it closes. */
  materialized?: string;
  /** A SQL result: rows still being appended to `materialized` until it is complete. */
  streamed?: StreamedResult;
}

interface PageOptions {
  sort?: Sort | undefined;
  filters?: Filter[] | undefined;
  limit: number;
  offset: number;
  total: number;
}

/** A row of a Parquet scan: DuckDB's virtual columns, never null, unique together. */
const SCAN_ROW = ['filename', 'file_row_number'];
/** A Bronze row: a record of its topic, stored once (the sink is exactly-once). */
const BRONZE_ROW = ['partition', 'offset'];

const MAX_SESSIONS = 32;
/**
 * Users' operations running at once (see user-gate.ts): two of libuv's four worker threads, so file-system
 * calls, the catalog and the lake's own DuckDB work always have the other two.
 */
export const USER_QUERY_SLOTS = 2;
export const DEFAULT_QUERY_TIMEOUT_SECONDS = 300;
const HISTOGRAM_BINS = 20;

/**
 * The lake's read-only query service: users' SQL runs in a sandboxed DuckDB (see sandbox.ts) over views of
 * every layer, through a gate that bounds how many run at once and for how long; results are read in pages,
 * sorted and filtered on the server, and sent as Arrow IPC. The catalog is the app's own work: it reads
 * Parquet footers on a separate DuckDB instance and never waits behind users' queries.
 */
export class QueryService {
  private sandbox: { instance: DuckDBInstance; key: string; lake: string; tempDir: string } | undefined;
  private internal: Promise<DuckDBInstance> | undefined;
  private readonly opened = new Map<string, string>();
  private readonly sessions = new Map<string, Session>();
  /** Ids of queries being opened (queued or running), so a second run with the same id is refused. */
  private readonly opening = new Set<string>();
  private nextId = 1;
  private tables: TableLocation[] = [];
  private viewsKey = '';
  private refreshing: Promise<unknown> = Promise.resolve();
  private readonly gate: UserQueryGate;

  constructor(
    private readonly lakeDir: () => Promise<string>,
    timeoutSeconds: () => Promise<number | undefined> = () => Promise.resolve(undefined),
  ) {
    this.gate = new UserQueryGate(
      USER_QUERY_SLOTS,
      async () => ((await timeoutSeconds()) ?? DEFAULT_QUERY_TIMEOUT_SECONDS) * 1000,
    );
  }

  async catalog(): Promise<Catalog> {
    const lake = resolve(await this.lakeDir());
    const tables = await discoverTables(lake, this.opened);
    return { lakeDir: lake, tables: await this.describe(tables) };
  }

  /**
   * Opens a user's SELECT; queryId (chosen by the caller) lets it cancel the query while it is queued or
   * running. The statement runs once, into the result's table (see streamed-result.ts); counting, sorting,
   * filtering and paging then read that table and never run the user's SQL again. With `early`, the answer
   * comes as soon as the first rows are in, `counting` true (totalRows then counts those): the rest is
   * appended in the background, still through the gate (cancel and the timeout stop it), and query.count
   * waits for it.
   */
  runSql(sql: string, queryId?: string, early = false): Promise<QueryOpened> {
    const id = this.claimId(queryId);
    return new Promise<QueryOpened>((resolveOpened, rejectOpened) => {
      let answered = false;
      const answer = (opened: QueryOpened) => {
        answered = true;
        this.opening.delete(id);
        resolveOpened(opened);
      };
      const work = async (signal: AbortSignal) => {
        const { connection } = await this.refresh();
        const release = interruptOnAbort(signal, connection);
        let session: Session | undefined;
        try {
          const statement = await assertSingleSelect(connection, sql);
          const instance = this.sandbox?.instance;
          if (!instance) throw new ApiError({ code: 'FAILED', message: 'The query service was closed.' });
          const { result, rest } = await StreamedResult.start(instance, connection, id, statement, signal);
          session = {
            id,
            source: result.table,
            columns: result.columns,
            connection: await instance.connect(),
            counts: new Map(),
            materialized: result.table,
            streamed: result,
            // Rows are appended in the SQL's own order: ties keep it. A column named rowid would shadow it,
            // and one named like the tiebreak's alias in a tail read (see pageSelect) would clash with it.
            ...(result.columns.some((c) => ['rowid', '__tie0'].includes(c.name.toLowerCase()))
              ? {}
              : { tiebreak: ['rowid'] }),
          };
          this.sessions.set(id, session);
          this.evictOldSessions();
          const opened = () => ({ queryId: id, columns: result.columns, totalRows: result.rows });
          if (early && !result.complete) answer({ ...opened(), counting: true });
          await rest;
          session.counts.set(JSON.stringify([]), result.rows);
          if (!answered) answer(opened());
        } catch (error) {
          if (session && this.sessions.get(id) === session) this.close(id);
          throw error;
        } finally {
          release();
          connection.closeSync();
        }
      };
      this.gate.run(id, work).catch((error: unknown) => {
        this.opening.delete(id);
        if (!answered) rejectOpened(error);
      });
    });
  }

  /** The row count of an open query once it is known: a SQL result's when all its rows are in. */
  async rowCount(queryId: string): Promise<{ totalRows: number }> {
    const streamed = this.session(queryId).streamed;
    if (streamed) await streamed.done;
    const session = this.session(queryId);
    return { totalRows: await this.gated(session, () => this.count(session)) };
  }

  openTable(name: string, queryId?: string): Promise<QueryOpened> {
    const id = this.claimId(queryId);
    return this.opening_(id, async (signal) => {
      const { connection } = await this.refresh();
      const release = interruptOnAbort(signal, connection);
      try {
        const table = this.tables.find((t) => qualifiedName(t) === name);
        if (!table) {
          const known = this.tables.map(qualifiedName).join(', ') || 'none yet';
          throw new ApiError({
            code: 'NOT_FOUND',
            message: `No table "${name}" in the lake (tables: ${known}).`,
          });
        }
        // Bronze's view lists its files and is redefined when they change: its pages read the view only.
        const scan = table.layer === 'bronze' ? undefined : await readExpression(table);
        return await this.open(
          id,
          connection,
          sqlName(table),
          scan,
          table.layer === 'bronze' ? BRONZE_ROW : [],
        );
      } catch (error) {
        connection.closeSync();
        throw error;
      } finally {
        release();
      }
    });
  }

  page(
    queryId: string,
    offset: number,
    limit: number,
    sort?: Sort,
    filters?: Filter[],
  ): Promise<{ totalRows: number; rows: number; page: Uint8Array; counting?: boolean }> {
    const streaming = this.session(queryId).streamed;
    // Rows still being written: the first rows can be read as they are; a sort or a filter needs them all.
    const ready =
      !streaming || streaming.complete
        ? undefined
        : sort || filters?.length
          ? streaming.done
          : streaming.until(offset + limit);
    // A grid asks for pages of one sort and filter at a time: pages of an older one are no longer shown.
    const tag = JSON.stringify([sort ?? null, filters ?? []]);
    this.gate.supersede(queryId, tag);
    return this.readable(queryId, ready, (session) =>
      this.gatedOwn(
        session,
        async (connection) => {
          const counting = session.streamed?.complete === false;
          const totalRows = counting
            ? (session.streamed?.rows ?? 0)
            : await this.count(session, filters, connection);
          const options = { sort, filters, limit, offset, total: totalRows };
          const result =
            sort && session.scan
              ? await this.latePage(session, connection, session.scan, options)
              : await this.plainPage(session, connection, options);
          const { bytes, rows } = resultToArrowIpc(result);
          return { totalRows, rows, page: bytes, ...(counting ? { counting } : {}) };
        },
        tag,
      ),
    );
  }

  private plainPage(session: Session, connection: DuckDBConnection, options: PageOptions) {
    // A lake table's sort reads its files, which tell rows apart; its view does not.
    const [source, tiebreak] =
      options.sort && session.scan ? [session.scan, SCAN_ROW] : [session.source, session.tiebreak];
    const built = pageSelect(source, session.columns, { ...options, tiebreak });
    return this.execute(session, built.sql, built.params, connection);
  }

  /**
   * A sorted page of a lake table in two reads: first the page's row identities (file, row in the file)
   * with only the sort column and the filters' columns read, then those rows' every column. A top-N that
   * carries every column decodes most of every column of a Parquet scan (bench:ui, 5M rows: 1.6-2.0 s of
   * CPU against 1.37-1.39 s for the two reads). If a file changed between the reads the page is read in one.
   */
  private async latePage(session: Session, connection: DuckDBConnection, scan: string, options: PageOptions) {
    const sortColumn = quoteIdent(findColumn(session.columns, options.sort?.column ?? '').name);
    const keys = pageSelect(scan, session.columns, {
      ...options,
      select: `filename AS "__file", file_row_number AS "__row", ${sortColumn}`,
      tiebreak: SCAN_ROW,
    });
    const found = (await this.execute(session, keys.sql, keys.params, connection)).getRowsJS();
    if (found.length === 0) return this.plainPage(session, connection, options);
    const files = [...new Set(found.map(([file]) => String(file)))];
    const rowNumbers = [...new Set(found.map(([, row]) => String(row)))];
    const order = found.map(([file, row], i) => `(${quoteLiteral(String(file))}, ${String(row)}, ${i})`);
    const rows = await this.execute(
      session,
      `SELECT page.* EXCLUDE ("__file", "__row") FROM (
         SELECT *, filename AS "__file", file_row_number AS "__row" FROM ${scan}
         WHERE filename IN (${files.map(quoteLiteral).join(', ')}) AND file_row_number IN (${rowNumbers.join(', ')})
       ) AS page JOIN (VALUES ${order.join(', ')}) AS wanted(file, row, position)
         ON page."__file" = wanted.file AND page."__row" = wanted.row
       ORDER BY wanted.position`,
      [],
      connection,
    );
    return rows.currentRowCount === found.length ? rows : this.plainPage(session, connection, options);
  }

  /** Runs `work` once `ready` settles (a SQL result's rows are in), on the session as it is then. */
  private async readable<T>(
    queryId: string,
    ready: Promise<unknown> | undefined,
    work: (session: Session) => Promise<T>,
  ): Promise<T> {
    if (ready) await ready;
    return work(this.session(queryId));
  }

  /** Drops the query's queued work and interrupts its running work. */
  cancel(queryId: string): { cancelled: boolean } {
    const gated = this.gate.cancel(queryId);
    return { cancelled: gated || this.sessions.has(queryId) };
  }

  close(queryId: string): { closed: boolean } {
    const session = this.sessions.get(queryId);
    if (!session) return { closed: false };
    this.sessions.delete(queryId);
    // Rows still being appended stop first (their writer holds the table); dropping the table frees its
    // memory and spill blocks now.
    if (session.streamed?.complete === false) this.gate.cancel(queryId);
    if (session.materialized) {
      const connection = session.connection;
      const table = session.materialized;
      void (session.streamed?.done ?? Promise.resolve())
        .catch(() => undefined)
        .then(() => connection.run(`DROP TABLE IF EXISTS ${table}`))
        .catch(() => undefined)
        .finally(() => connection.closeSync());
    } else session.connection.closeSync();
    return { closed: true };
  }

  async summary(queryId: string, columnName: string, filters?: Filter[]): Promise<ColumnSummary> {
    await this.session(queryId).streamed?.done;
    const session = this.session(queryId);
    const column = findColumn(session.columns, columnName);
    const c = quoteIdent(column.name);
    const built = buildSelect(session.source, session.columns, {
      filters,
      select: `count(*), count(*) - count(${c}), CAST(min(${c}) AS VARCHAR), CAST(max(${c}) AS VARCHAR), approx_count_distinct(${c})`,
    });
    return this.gated(session, async () => {
      const result = await this.execute(session, built.sql, built.params);
      const [row] = result.getRowsJS();
      const [rows, nulls, min, max, distinct] = row ?? [];
      const shape = await this.distribution(session, column, filters);
      return {
        ...shape,
        column: column.name,
        type: column.type,
        rows: Number(rows ?? 0),
        nulls: Number(nulls ?? 0),
        min: min === null || min === undefined ? null : String(min),
        max: max === null || max === undefined ? null : String(max),
        distinct: Number(distinct ?? 0),
      };
    });
  }

  /**
   * What the statistics panel draws: a histogram of a number or time column, or the top values of any other,
   * over the same filtered rows as the grid. One grouped scan each; asked for only when the panel opens.
   */
  private async distribution(
    session: Session,
    column: Column,
    filters: Filter[] | undefined,
  ): Promise<Pick<ColumnSummary, 'histogram' | 'top'>> {
    const c = quoteIdent(column.name);
    const kind = columnKind(column.type);
    if (kind === 'number' || kind === 'time') {
      const value = kind === 'time' ? `epoch_ms(CAST(${c} AS TIMESTAMP))` : `CAST(${c} AS DOUBLE)`;
      const built = buildSelect(session.source, session.columns, { filters, select: `${value} AS v` });
      const sql = `WITH vals AS (${built.sql}), bounds AS (SELECT min(v) AS lo, max(v) AS hi FROM vals)
        SELECT coalesce(least(CAST(floor((v - lo) / nullif((hi - lo) / ${HISTOGRAM_BINS}, 0)) AS INTEGER), ${HISTOGRAM_BINS - 1}), 0) AS bin,
               count(*) AS n, any_value(lo) AS lo, any_value(hi) AS hi
        FROM vals, bounds WHERE v IS NOT NULL GROUP BY bin ORDER BY bin`;
      const rows = (await this.execute(session, sql, built.params)).getRowsJS();
      const first = rows[0];
      if (!first) return { histogram: [] };
      const lo = Number(first[2]);
      const hi = Number(first[3]);
      const width = (hi - lo) / HISTOGRAM_BINS;
      const counts = new Map(rows.map((r) => [Number(r[0]), Number(r[1])]));
      const bins = width > 0 ? HISTOGRAM_BINS : 1;
      return {
        histogram: Array.from({ length: bins }, (_, i) => ({
          low: lo + i * width,
          high: width > 0 ? lo + (i + 1) * width : hi,
          count: counts.get(i) ?? 0,
        })),
      };
    }
    const built = buildSelect(session.source, session.columns, {
      filters,
      select: `CAST(${c} AS VARCHAR) AS v, count(*) AS n`,
    });
    const sql = `${built.sql} GROUP BY 1 ORDER BY n DESC, v NULLS LAST LIMIT 10`;
    const rows = (await this.execute(session, sql, built.params)).getRowsJS();
    return {
      top: rows.map((r) => ({ value: r[0] === null ? null : String(r[0]), count: Number(r[1]) })),
    };
  }

  async save(
    queryId: string,
    target: string,
    format: 'csv' | 'parquet',
    overwrite: boolean,
    sort?: Sort,
    filters?: Filter[],
    csvKeepNumbers = false,
    columnNames?: string[],
  ): Promise<{ path: string; bytes: number }> {
    await this.session(queryId).streamed?.done;
    const session = this.session(queryId);
    const path = resolve(target);
    const chosen = savedColumns(session.columns, columnNames);
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
    // DuckDB keeps the inner ORDER BY's order through the outer projection.
    let select = `SELECT ${chosen.map((c) => `saved.${quoteIdent(c.name)}`).join(', ')} FROM (${built.sql}) AS saved`;
    let options = 'FORMAT parquet, COMPRESSION zstd';
    if (format === 'csv') {
      // The same formula-injection guard as the CSV export.
      const columns = chosen.map((c) => ({ ...c, expression: `saved.${quoteIdent(c.name)}` }));
      const guard = guardCsvColumns(columns, csvKeepNumbers);
      select = `SELECT ${guard.select} FROM (${built.sql}) AS saved`;
      options = `FORMAT csv, HEADER true, DELIMITER ','${forceQuoteOption(guard.forceQuote)}`;
    }
    const beside = `${path}.${process.pid}.partial`;
    try {
      await this.gated(session, () =>
        this.execute(session, `COPY (${select}) TO ${quoteLiteral(temp)} (${options})`, built.params),
      );
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
    connection.closeSync();
    const table = this.tables.find((t) => t.layer === 'files' && t.name === name);
    if (!table) {
      this.opened.delete(name);
      throw new ApiError({ code: 'VALIDATION', message: `${dir} holds no .parquet files.` });
    }
    const [described] = await this.describe([table]);
    if (!described) throw new ApiError({ code: 'FAILED', message: `${dir} could not be read.` });
    return described;
  }

  /** Shutdown: queued queries are dropped, running ones interrupted, then every DuckDB instance closed. */
  async dispose(): Promise<void> {
    await this.gate.close();
    await this.closeSandbox();
    const internal = this.internal;
    this.internal = undefined;
    if (internal) (await internal.catch(() => undefined))?.closeSync();
  }

  /** The app's own DuckDB for the catalog: separate from users' SQL, so it never waits behind it. */
  private async describe(tables: TableLocation[]): Promise<CatalogTable[]> {
    this.internal ??= withUtc(DuckDBInstance.create(':memory:'));
    const connection = await (await this.internal).connect();
    try {
      const described: CatalogTable[] = [];
      for (const table of tables)
        described.push(
          await describeTable(connection, table).catch((e: unknown) => Promise.reject(duckdbError(e))),
        );
      return described;
    } finally {
      connection.closeSync();
    }
  }

  private async closeSandbox(): Promise<void> {
    for (const id of [...this.sessions.keys()]) this.close(id);
    const sandbox = this.sandbox;
    this.sandbox = undefined;
    if (!sandbox) return;
    sandbox.instance.closeSync();
    await rm(sandbox.tempDir, { recursive: true, force: true });
  }

  /** The caller's id when it is free, else the next unused one. */
  private claimId(wanted: string | undefined): string {
    if (wanted !== undefined) {
      if (this.sessions.has(wanted) || this.opening.has(wanted)) {
        throw new ApiError({
          code: 'CONFLICT',
          message: `Query ${wanted} is already open; choose another id.`,
        });
      }
      this.opening.add(wanted);
      return wanted;
    }
    let id = `q${this.nextId++}`;
    while (this.sessions.has(id) || this.opening.has(id)) id = `q${this.nextId++}`;
    this.opening.add(id);
    return id;
  }

  /** Runs the opening of a query through the gate; its id is free again if it fails. */
  private async opening_(
    id: string,
    work: (signal: AbortSignal) => Promise<QueryOpened>,
  ): Promise<QueryOpened> {
    try {
      return await this.gate.run(id, work);
    } finally {
      this.opening.delete(id);
    }
  }

  /**
   * A user operation on its own connection (so interrupting it, when it is cancelled or superseded,
   * cannot reach another operation of the same query), through the gate.
   */
  private gatedOwn<T>(
    session: Session,
    work: (connection: DuckDBConnection) => Promise<T>,
    tag: string,
  ): Promise<T> {
    return this.gate.run(
      session.id,
      async (signal) => {
        const instance = this.sandbox?.instance;
        if (!instance) throw new ApiError({ code: 'NOT_FOUND', message: `Query ${session.id} is closed.` });
        const connection = await instance.connect();
        const release = interruptOnAbort(signal, connection);
        try {
          return await work(connection);
        } finally {
          release();
          connection.closeSync();
        }
      },
      tag,
    );
  }

  /** One user operation on an open query, through the gate; cancelling or a timeout interrupts it. */
  private gated<T>(session: Session, work: () => Promise<T>): Promise<T> {
    return this.gate.run(session.id, async (signal) => {
      const release = interruptOnAbort(signal, session.connection);
      try {
        return await work();
      } finally {
        release();
      }
    });
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
      await this.closeSandbox();
      await mkdir(lake, { recursive: true });
      // DuckDB may read its own spill folder whatever the allow-list says: a fresh private one holds
      // nothing but its spill files (the default, <cwd>/.tmp, could be anything).
      const tempDir = await mkdtemp(join(tmpdir(), 'clickpulse-sql-spill-'));
      try {
        this.sandbox = { instance: await createSandbox(dirs, sandboxLimits(tempDir)), key, lake, tempDir };
      } catch (error) {
        await rm(tempDir, { recursive: true, force: true });
        throw error;
      }
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

  /** Probes the columns and counts the rows; the session owns the connection from then on. */
  private async open(
    id: string,
    connection: DuckDBConnection,
    source: string,
    scan: string | undefined,
    /** Columns that tell the source's rows apart, used only if it has them all. */
    rowKey: string[],
  ): Promise<QueryOpened> {
    try {
      const probe = await connection.runAndReadAll(`SELECT * FROM ${source} AS source LIMIT 0`);
      const columns = probe.columnNames().map((name, i) => ({ name, type: String(probe.columnType(i)) }));
      const session: Session = {
        id,
        source,
        columns,
        connection,
        counts: new Map(),
      };
      // The scan's virtual columns would be shadowed by real ones of the same names (and latePage's own
      // names for them would clash).
      const taken = ['filename', 'file_row_number', '__file', '__row', '__tie0', '__tie1'];
      if (scan && !columns.some((c) => taken.includes(c.name))) session.scan = scan;
      if (rowKey.length && rowKey.every((key) => columns.some((c) => c.name === key)))
        session.tiebreak = rowKey.map(quoteIdent);
      const totalRows = await this.count(session);
      this.sessions.set(session.id, session);
      this.evictOldSessions();
      return { queryId: session.id, columns, totalRows };
    } catch (error) {
      throw duckdbError(error);
    }
  }

  private async count(
    session: Session,
    filters?: Filter[],
    connection = session.connection,
  ): Promise<number> {
    const key = JSON.stringify(filters ?? []);
    const known = session.counts.get(key);
    if (known !== undefined) return known;
    const built = buildSelect(session.source, session.columns, { filters, select: 'count(*)' });
    const result = await this.execute(session, built.sql, built.params, connection);
    const total = Number(result.getRowsJS()[0]?.[0] ?? 0);
    session.counts.set(key, total);
    return total;
  }

  private async execute(session: Session, sql: string, params: string[], connection = session.connection) {
    try {
      if (params.length === 0) return await connection.runAndReadAll(sql);
      const prepared = await connection.prepare(sql);
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

/**
 * Interrupts the connection once the signal aborts, and again every 50 ms until the work is done: an
 * interrupt reaches only a statement that is running, and the work may be between two statements.
 */
/** The columns a save writes: the ones named, in that order (each once), or all of them. */
function savedColumns(columns: Column[], names: string[] | undefined): Column[] {
  if (!names) return columns;
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) {
    throw new ApiError({ code: 'VALIDATION', message: `Column "${twice}" is named twice in the save.` });
  }
  return names.map((name) => findColumn(columns, name));
}

function interruptOnAbort(signal: AbortSignal, connection: DuckDBConnection): () => void {
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    connection.interrupt();
    timer = setInterval(() => connection.interrupt(), 50);
  };
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  return () => {
    signal.removeEventListener('abort', stop);
    clearInterval(timer);
  };
}

async function withUtc(created: Promise<DuckDBInstance>): Promise<DuckDBInstance> {
  const instance = await created;
  const setup = await instance.connect();
  try {
    await setup.run("SET GLOBAL TimeZone = 'UTC'");
  } finally {
    setup.closeSync();
  }
  return instance;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
