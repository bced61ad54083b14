import { z } from 'zod';
import { call } from './define';
import type { CallSpec, EventSpec } from './define';

export const Column = z.object({ name: z.string(), type: z.string() });
export type Column = z.infer<typeof Column>;

export const FilterOp = z.enum([
  'contains',
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'null',
  'notnull',
]);
export const Filter = z.object({
  column: z.string().min(1),
  op: FilterOp,
  value: z.string().max(10_000).optional(),
  value2: z.string().max(10_000).optional(),
});
export type Filter = z.infer<typeof Filter>;

export const Sort = z.object({ column: z.string().min(1), direction: z.enum(['asc', 'desc']) });
export type Sort = z.infer<typeof Sort>;

export type ColumnKind = 'text' | 'number' | 'time' | 'boolean';

/** How a DuckDB type behaves for filtering, sorting and alignment (shared by the service and the grid). */
export function columnKind(duckdbType: string): ColumnKind {
  const t = duckdbType.toUpperCase();
  if (
    /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL)/.test(
      t,
    )
  ) {
    return 'number';
  }
  if (/^(DATE|TIME|TIMESTAMP)/.test(t)) return 'time';
  if (t === 'BOOLEAN') return 'boolean';
  return 'text';
}

/** Raw bytes (an Arrow IPC stream); the bridge carries them as a binary frame. */
const Bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes');

const QueryId = z.string().regex(/^q\d+$/, 'a query id such as "q1"');

export const QueryOpened = z.object({
  queryId: QueryId,
  columns: z.array(Column),
  totalRows: z.number().int(),
  /** A SQL result still being written: totalRows counts the rows so far (query.count waits for all). */
  counting: z.boolean().optional(),
});
export type QueryOpened = z.infer<typeof QueryOpened>;

export const Partition = z.object({
  name: z.string(),
  files: z.number(),
  bytes: z.number(),
  rows: z.number(),
});

export const CatalogTable = z.object({
  /** How SQL names it: bronze.<topic>, silver.events, silver.quarantine, silver.dq_daily, gold.<table>, files.<name>. */
  name: z.string(),
  layer: z.enum(['bronze', 'silver', 'gold', 'files']),
  path: z.string(),
  files: z.number(),
  bytes: z.number(),
  rows: z.number(),
  lastModified: z.string().nullable(),
  partitions: z.array(Partition),
  columns: z.array(Column),
});
export type CatalogTable = z.infer<typeof CatalogTable>;

export const Catalog = z.object({ lakeDir: z.string(), tables: z.array(CatalogTable) });
export type Catalog = z.infer<typeof Catalog>;

export const ColumnSummary = z.object({
  column: z.string(),
  type: z.string(),
  rows: z.number(),
  nulls: z.number(),
  min: z.string().nullable(),
  max: z.string().nullable(),
  distinct: z.number(),
  /** Numbers and times: 20 equal-width bins from min to max (times as epoch ms), nulls left out. */
  histogram: z.array(z.object({ low: z.number(), high: z.number(), count: z.number() })).optional(),
  /** Text and booleans: the 10 most frequent values with their counts (null counts as a value). */
  top: z.array(z.object({ value: z.string().nullable(), count: z.number() })).optional(),
});
export type ColumnSummary = z.infer<typeof ColumnSummary>;

export const queryCalls = {
  'lake.catalog': call(
    'Layers, tables, partitions, files, row counts, sizes and schemas of the lake.',
    z.object({}).strict(),
    Catalog,
  ),
  'query.run': call(
    'Open a read-only SQL query (one SELECT) over bronze.*, silver.*, gold.* and opened folders.',
    z
      .object({
        sql: z.string().min(1).max(1_000_000),
        /** Chosen by the caller, so it can cancel the query while it waits for a slot or runs. */
        queryId: QueryId.optional(),
        /** Answer with the first rows (counting: true) while the rest is written in the background. */
        early: z.boolean().optional(),
      })
      .strict(),
    QueryOpened,
  ),
  'query.count': call(
    "The row count of an open query, once every row of a SQL result is in (see query.run's early).",
    z.object({ queryId: QueryId }).strict(),
    z.object({ totalRows: z.number().int() }),
  ),
  'query.table': call(
    'Open a catalog table (e.g. "silver.events") for browsing.',
    z.object({ table: z.string().min(1).max(300), queryId: QueryId.optional() }).strict(),
    QueryOpened,
  ),
  'query.page': call(
    'A window of rows of an open query, sorted and filtered on the server, as an Arrow IPC stream.',
    z
      .object({
        queryId: QueryId,
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(10_000),
        sort: Sort.optional(),
        filters: z.array(Filter).max(50).optional(),
      })
      .strict(),
    z.object({
      totalRows: z.number().int(),
      rows: z.number().int(),
      page: Bytes,
      /** Unsorted, unfiltered pages of a SQL result still being written: totalRows counts the rows so far. */
      counting: z.boolean().optional(),
    }),
  ),
  'query.cancel': call(
    'Cancel whatever the query is running now.',
    z.object({ queryId: QueryId }).strict(),
    z.object({ cancelled: z.boolean() }),
  ),
  'query.close': call(
    'Forget an open query.',
    z.object({ queryId: QueryId }).strict(),
    z.object({ closed: z.boolean() }),
  ),
  'query.summary': call(
    'Statistics of one column of an open query (computed only when asked).',
    z
      .object({ queryId: QueryId, column: z.string().min(1), filters: z.array(Filter).max(50).optional() })
      .strict(),
    ColumnSummary,
  ),
  'query.save': call(
    'Save the result of an open query as CSV or Parquet at a path of the user’s choosing.',
    z
      .object({
        queryId: QueryId,
        path: z.string().min(1),
        format: z.enum(['csv', 'parquet']),
        overwrite: z.boolean().default(false),
        /** CSV only: leave numeric columns out of the formula-injection guard (as export.run's option). */
        csvKeepNumbers: z.boolean().default(false),
        sort: Sort.optional(),
        filters: z.array(Filter).max(50).optional(),
        /** The columns to write, in this order (the grid's visible ones); all of them when left out. */
        columns: z.array(z.string().min(1)).min(1).max(5000).optional(),
      })
      .strict(),
    z.object({ path: z.string(), bytes: z.number() }),
  ),
  'query.openFolder': call(
    'Make a folder (or file) of Parquet queryable as files.<name>.',
    z.object({ path: z.string().min(1) }).strict(),
    CatalogTable,
  ),
} satisfies Record<string, CallSpec>;

export const queryEvents = {} satisfies Record<string, EventSpec>;
