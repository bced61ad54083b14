import type pg from 'pg';
import { ApiError } from '../../contract/envelope';
import { ident, sameType, type Column } from './types';

/** The sink's own bookkeeping, in the target schema beside the tables it fills. */
export const STATE_TABLE = '_clickpulse_sink';
export const DAYS_TABLE = '_clickpulse_sink_days';

/**
 * Creates the schema and the sink's state tables if missing. The state table holds, per mirrored table, the
 * fingerprint of the lake files it equals (the high-water mark); it is updated in the same transaction as
 * the table's rows, so the two can never disagree.
 */
export async function ensureStateTables(client: pg.Client, schema: string): Promise<void> {
  const s = ident(schema);
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${s}.${STATE_TABLE} (
    table_name text PRIMARY KEY,
    source text NOT NULL,
    fingerprint text,
    rows bigint NOT NULL DEFAULT 0,
    source_modified_at timestamptz,
    applied_at timestamptz
  )`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${s}.${DAYS_TABLE} (
    table_name text NOT NULL,
    event_date date NOT NULL,
    fingerprint text NOT NULL,
    rows bigint NOT NULL,
    PRIMARY KEY (table_name, event_date)
  )`);
}

export interface TableState {
  table: string;
  fingerprint: string | null;
  rows: number;
  appliedAt: string | null;
}

export async function readStates(client: pg.Client, schema: string): Promise<Map<string, TableState>> {
  const result = await client.query<{
    table_name: string;
    fingerprint: string | null;
    rows: string;
    applied_at: Date | null;
  }>(`SELECT table_name, fingerprint, rows, applied_at FROM ${ident(schema)}.${STATE_TABLE}`);
  return new Map(
    result.rows.map((r) => [
      r.table_name,
      {
        table: r.table_name,
        fingerprint: r.fingerprint,
        rows: Number(r.rows),
        appliedAt: r.applied_at?.toISOString() ?? null,
      },
    ]),
  );
}

export interface TableSpec {
  table: string;
  columns: Column[];
  key: string[];
  /** Range-partition by event_date (Silver), one partition per day, created on demand. */
  partitionedByDay?: boolean;
}

/**
 * Inside the caller's transaction: creates the table with its primary key, or checks and migrates the one
 * the sink made before (adds missing columns; a changed type or key is an error and nothing is altered).
 * A table of that name the sink did not make is never touched. Returns the columns it added.
 */
export async function ensureTable(
  client: pg.Client,
  schema: string,
  spec: TableSpec,
  known: boolean,
): Promise<{ created: boolean; added: string[] }> {
  const where = `${schema}.${spec.table}`;
  const existing = await client.query<{
    column_name: string;
    data_type: string;
    precision: number | null;
    scale: number | null;
  }>(
    `SELECT column_name, data_type, numeric_precision AS precision, numeric_scale AS scale
       FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [schema, spec.table],
  );
  const tableExists = existing.rowCount !== 0 || (await relationExists(client, schema, spec.table));
  if (tableExists && !known) {
    throw new ApiError({
      code: 'CONFLICT',
      message: `Table ${where} already exists and was not created by the ClickPulse sink; nothing was changed. Choose another schema (--schema) or drop or rename that table.`,
    });
  }
  if (!tableExists) {
    await client.query(createTableSql(schema, spec));
    return { created: true, added: [] };
  }
  const have = new Map(existing.rows.map((r) => [r.column_name, r]));
  const added: string[] = [];
  for (const column of spec.columns) {
    const found = have.get(column.name);
    if (!found) {
      await client.query(
        `ALTER TABLE ${ident(schema)}.${ident(spec.table)} ADD COLUMN ${ident(column.name)} ${column.pg}`,
      );
      added.push(column.name);
    } else if (!sameType(column.pg, found)) {
      const was =
        found.data_type === 'numeric' ? `numeric(${found.precision},${found.scale})` : found.data_type;
      throw new ApiError({
        code: 'CONFLICT',
        message: `Column ${where}.${column.name} is ${was} in PostgreSQL but ${column.pg} in the lake; the sink changes no types and drops nothing. Rebuild the sink's tables (Rebuild in PostgreSQL, or clickpulse sink postgres --rebuild) or alter the column yourself.`,
      });
    }
  }
  const key = await primaryKey(client, schema, spec.table);
  if (key.join(',') !== spec.key.join(',')) {
    throw new ApiError({
      code: 'CONFLICT',
      message: `Table ${where} has primary key (${key.join(', ') || 'none'}) but its grain is (${spec.key.join(', ')}); rebuild it.`,
    });
  }
  return { created: false, added };
}

export function createTableSql(schema: string, spec: TableSpec, name = spec.table): string {
  const keySet = new Set(spec.key);
  const cols = spec.columns.map((c) => `${ident(c.name)} ${c.pg}${keySet.has(c.name) ? ' NOT NULL' : ''}`);
  const pk = `CONSTRAINT ${ident(`${name}_pkey`)} PRIMARY KEY (${spec.key.map(ident).join(', ')})`;
  const partition = spec.partitionedByDay ? ' PARTITION BY RANGE (event_date)' : '';
  return `CREATE TABLE ${ident(schema)}.${ident(name)} (${[...cols, pk].join(', ')})${partition}`;
}

async function relationExists(client: pg.Client, schema: string, name: string): Promise<boolean> {
  const r = await client.query(
    `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
    [schema, name],
  );
  return r.rowCount !== 0;
}

async function primaryKey(client: pg.Client, schema: string, table: string): Promise<string[]> {
  const r = await client.query<{ attname: string }>(
    `SELECT a.attname FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      WHERE n.nspname = $1 AND c.relname = $2 AND i.indisprimary ORDER BY k.ord`,
    [schema, table],
  );
  return r.rows.map((row) => row.attname);
}
