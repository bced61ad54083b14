import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { Column } from '../contract';
import { limitLakeDb } from '../lake/duckdb';
import { silverEventFiles } from '../lake/files';
import { lakePaths, parquetGlob } from '../lake/layout';
import { parquetFiles } from '../query/catalog';
import { quoteIdent, quoteLiteral } from '../query/sql-builder';

/**
 * The explore domain's private DuckDB (the app's own reads, never users' SQL): one instance, a connection per
 * call, so a search never waits behind the SQL screen's queries and the views of the query service stay as
 * they are.
 */
export class LakeReader {
  private instance: Promise<DuckDBInstance> | undefined;

  constructor(private readonly lakeDir: () => Promise<string>) {}

  async lake(): Promise<string> {
    return this.lakeDir();
  }

  async with<T>(work: (db: DuckDBConnection) => Promise<T>): Promise<T> {
    // The limits are the instance's (memory, spill folder, time zone), set once: DuckDB refuses to move the
    // spill folder once a query has spilled, so setting it per connection failed every call after a spill.
    this.instance ??= DuckDBInstance.create(':memory:').then(async (instance) => {
      const first = await instance.connect();
      try {
        await limitLakeDb(first);
      } finally {
        first.closeSync();
      }
      return instance;
    });
    const db = await (await this.instance).connect();
    try {
      return await work(db);
    } finally {
      db.closeSync();
    }
  }

  dispose(): void {
    const pending = this.instance;
    this.instance = undefined;
    void pending?.then((i) => i.closeSync());
  }
}

/**
 * read_parquet over Silver's current events files, or null while Silver has none. A list, not a glob: while a
 * compaction swaps a merged file in for the files it replaces, a glob could see both (lake/files.ts).
 */
export async function silverSource(lake: string): Promise<string | null> {
  const files = await silverEventFiles(lakePaths(lake).silverEvents);
  if (!files.length) return null;
  return `read_parquet([${files.map(quoteLiteral).join(', ')}], hive_partitioning = true, union_by_name = true)`;
}

/** read_parquet over a folder's Parquet files (a Gold table, quarantine, dq_daily), or null when it has none. */
export async function folderSource(dir: string): Promise<string | null> {
  if (!(await parquetFiles(dir)).length) return null;
  return `read_parquet(${quoteLiteral(parquetGlob(dir))}, union_by_name = true)`;
}

/**
 * Columns of the selects described lately, by their text. DESCRIBE over Silver with union_by_name opens every
 * file's footer: 40 ms of a 5M-row journey's 280, paid again by each call (a journey described three sources).
 * Silver's source names its files, so a new or merged file is a new text; a Gold folder's schema is the one
 * its SQL file gives. Only parameterless selects are kept.
 */
const described = new Map<string, Column[]>();
const DESCRIBED_MAX = 64;

export async function describe(
  db: DuckDBConnection,
  select: string,
  params: DuckDBValue[] = [],
): Promise<Column[]> {
  const known = params.length === 0 ? described.get(select) : undefined;
  if (known) return known.map((c) => ({ ...c }));
  const result = await db.runAndReadAll(`DESCRIBE ${select}`, params);
  const columns = result.getRowsJS().map(([name, type]) => ({ name: String(name), type: String(type) }));
  if (params.length === 0) {
    if (described.size >= DESCRIBED_MAX) described.delete(described.keys().next().value as string);
    described.set(select, columns);
  }
  return columns.map((c) => ({ ...c }));
}

/**
 * A select list that makes every column a JSON-safe value: instants and dates as epoch ms, numbers as doubles
 * (offsets and counts fit in 2^53), anything exotic as text. Types are reported as they are in the lake.
 */
export function jsonSelectList(columns: Column[]): string {
  return columns
    .map(({ name, type }) => {
      const c = quoteIdent(name);
      const t = type.toUpperCase();
      if (t.startsWith('TIMESTAMP')) return `epoch_ms(${c})::DOUBLE AS ${c}`;
      if (t === 'DATE') return `epoch_ms(CAST(${c} AS TIMESTAMP))::DOUBLE AS ${c}`;
      if (
        /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT|FLOAT|DOUBLE|DECIMAL)/.test(
          t,
        )
      )
        return `CAST(${c} AS DOUBLE) AS ${c}`;
      if (t === 'BOOLEAN' || t === 'VARCHAR') return c;
      return `CAST(${c} AS VARCHAR) AS ${c}`;
    })
    .join(', ');
}

/** Rows as plain JSON arrays (after jsonSelectList, every value already is a number, string, boolean or null). */
export async function jsonRows(
  db: DuckDBConnection,
  sql: string,
  params: DuckDBValue[],
): Promise<unknown[][]> {
  const result = await db.runAndReadAll(sql, params);
  return result.getRowsJS() as unknown[][];
}

export function rowObject(columns: Column[], row: unknown[] | undefined): Record<string, unknown> | null {
  if (!row) return null;
  return Object.fromEntries(columns.map((c, i) => [c.name, row[i] ?? null]));
}
