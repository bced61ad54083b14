import type { DuckDBConnection } from '@duckdb/node-api';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { ApiError } from '../contract/envelope';
import type { ExportableTable } from '../contract/export';
import { withLakeDb } from '../lake/duckdb';
import { goldTables } from '../lake/gold/tables';
import { parquetFiles } from '../lake/files';
import { discoverTables, readExpression } from '../query/catalog';
import { quoteLiteral } from '../query/sql-builder';

/** A Gold table on disk, with what an export needs to read it. */
export interface GoldSource extends ExportableTable {
  /** DuckDB expression that reads every committed file of the table. */
  read: string;
}

/** The Gold tables present in the lake, with row counts from the Parquet footers (cheap). */
export async function goldSources(lake: string): Promise<GoldSource[]> {
  const gold = (await discoverTables(lake, new Map())).filter((t) => t.layer === 'gold');
  if (gold.length === 0) return [];
  return withLakeDb(async (db) => {
    const sources: GoldSource[] = [];
    for (const table of gold) {
      const files = await parquetFiles(table.dir);
      const sizes = await Promise.all(files.map((f) => stat(f).then((s) => s.size)));
      const read = await readExpression(table);
      sources.push({
        name: table.name,
        description: describeGold(table.name),
        rows: await footerRows(db, files),
        bytes: sizes.reduce((a, b) => a + b, 0),
        columns: await describe(db, read),
        read,
      });
    }
    return sources;
  });
}

/** The sources for the requested names, or a message naming the unknown ones and what exists. */
export function pickSources(all: GoldSource[], names: string[]): GoldSource[] {
  const wanted = [...new Set(names.map((n) => n.replace(/^gold\./, '')))];
  const unknown = wanted.filter((n) => !all.some((s) => s.name === n));
  if (unknown.length > 0) {
    const known = all.map((s) => s.name).join(', ') || 'none: build Gold first (clickpulse build all)';
    throw new ApiError({
      code: 'NOT_FOUND',
      message: `No Gold table ${unknown.map((n) => `"${n}"`).join(', ')} in the lake (Gold tables: ${known}).`,
    });
  }
  return wanted.map((n) => all.find((s) => s.name === n)).filter((s) => s !== undefined);
}

async function footerRows(db: DuckDBConnection, files: string[]): Promise<number> {
  const list = `[${files.map(quoteLiteral).join(', ')}]`;
  const result = await db.runAndReadAll(`SELECT sum(num_rows) FROM parquet_file_metadata(${list})`);
  return Number(result.getRowsJS()[0]?.[0] ?? 0);
}

async function describe(db: DuckDBConnection, read: string): Promise<{ name: string; type: string }[]> {
  const probe = await db.runAndReadAll(`SELECT * FROM ${read} LIMIT 0`);
  return probe.columnNames().map((name, i) => ({ name, type: String(probe.columnType(i)) }));
}

/** "-- funnel_daily — grain: one row per day. Conversions…" → "Grain: one row per day. Conversions…". */
export function describeGold(name: string): string {
  const sql = goldTables[name] ?? '';
  const comment = sql
    .split('\n')
    .filter((line) => line.startsWith('--'))
    .map((line) => line.replace(/^--\s?/, ''))
    .join(' ');
  const text = comment.replace(new RegExp(`^${name}\\s*[—-]\\s*`), '').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Saved SQL results (Parquet or CSV files) as export sources, named after their file; a name taken by a
 * Gold table, or a file that is missing or not Parquet/CSV, is refused with a message naming it.
 */
export async function resultSources(paths: string[], taken: string[]): Promise<GoldSource[]> {
  if (paths.length === 0) return [];
  return withLakeDb(async (db) => {
    const sources: GoldSource[] = [];
    for (const path of paths) {
      const info = await stat(path).catch(() => null);
      if (!info?.isFile())
        throw new ApiError({ code: 'NOT_FOUND', message: `The saved result ${path} does not exist.` });
      const ext = extname(path).toLowerCase();
      if (ext !== '.parquet' && ext !== '.csv') {
        throw new ApiError({
          code: 'VALIDATION',
          message: `${path}: a saved result must be a .parquet or .csv file.`,
        });
      }
      const name = basename(path, extname(path)).replace(/[^A-Za-z0-9_-]+/g, '_');
      if (taken.includes(name) || sources.some((s) => s.name === name)) {
        throw new ApiError({
          code: 'CONFLICT',
          message: `${path}: its name "${name}" is already taken by another table in this export.`,
        });
      }
      const read =
        ext === '.parquet' ? `read_parquet(${quoteLiteral(path)})` : `read_csv(${quoteLiteral(path)})`;
      const rows = await db.runAndReadAll(`SELECT count(*) FROM ${read}`);
      sources.push({
        name,
        description: `Saved SQL result (${path}).`,
        rows: Number(rows.getRowsJS()[0]?.[0] ?? 0),
        bytes: info.size,
        columns: await describe(db, read),
        read,
      });
    }
    return sources;
  });
}
