import type { DuckDBConnection } from '@duckdb/node-api';
import { stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { CatalogTable } from '../contract';
import { bronzeFiles, parquetFiles, subfolders } from '../lake/files';
import { lakePaths } from '../lake/layout';
import { quoteIdent, quoteLiteral } from './sql-builder';

/** Where a table's files are and how SQL names it. */
export interface TableLocation {
  layer: CatalogTable['layer'];
  schema: string;
  name: string;
  dir: string;
  /** Bronze only: its current files, listed (views are redefined when they change). */
  files?: string[];
}

// Re-exported: export and tests found the lake's files here before they moved to lake/files.ts.
export { bronzeFiles, parquetFiles, subfolders };

export const qualifiedName = (t: TableLocation) => `${t.schema}.${t.name}`;
export const sqlName = (t: TableLocation) => `${t.schema}.${quoteIdent(t.name)}`;

/** Every table of the lake's layout that exists on disk, plus folders the user opened. */
export async function discoverTables(lake: string, opened: Map<string, string>): Promise<TableLocation[]> {
  const paths = lakePaths(lake);
  const found: TableLocation[] = [];
  for (const topic of await subfolders(paths.bronze)) {
    found.push({ layer: 'bronze', schema: 'bronze', name: topic, dir: paths.bronzeTopic(topic) });
  }
  found.push({ layer: 'silver', schema: 'silver', name: 'events', dir: paths.silverEvents });
  found.push({ layer: 'silver', schema: 'silver', name: 'quarantine', dir: paths.quarantine });
  found.push({ layer: 'silver', schema: 'silver', name: 'dq_daily', dir: paths.silverDq });
  for (const table of await subfolders(paths.gold)) {
    found.push({ layer: 'gold', schema: 'gold', name: table, dir: paths.goldTable(table) });
  }
  for (const [name, dir] of opened) found.push({ layer: 'files', schema: 'files', name, dir });
  const withFiles = await Promise.all(
    found.map(async (t) => {
      if (t.layer === 'bronze') {
        const files = await bronzeFiles(t.dir);
        return files.length ? { ...t, files } : undefined;
      }
      return (await parquetFiles(t.dir)).length ? t : undefined;
    }),
  );
  return withFiles.filter((t) => t !== undefined);
}

/** The files a table reads now. */
export async function tableFiles(table: TableLocation): Promise<string[]> {
  return table.layer === 'bronze' ? bronzeFiles(table.dir) : parquetFiles(table.dir);
}

/**
 * The SQL that reads a table: a glob, so files added later show up without redefining anything; Bronze
 * lists its files (see bronzeFiles), and its view is redefined when they change.
 */
export async function readExpression(table: TableLocation): Promise<string> {
  if (table.layer === 'bronze' && table.files?.length) {
    return `read_parquet([${table.files.map(quoteLiteral).join(', ')}], hive_partitioning = true, union_by_name = true)`;
  }
  const info = await stat(table.dir);
  const source = info.isFile() ? table.dir : join(table.dir, '**', '*.parquet');
  return `read_parquet(${quoteLiteral(source)}, hive_partitioning = true, union_by_name = true)`;
}

/** (Re)defines one view per table in schemas bronze, silver, gold and files. */
export async function defineViews(connection: DuckDBConnection, tables: TableLocation[]): Promise<void> {
  const statements = ['bronze', 'silver', 'gold', 'files'].map((s) => `CREATE SCHEMA IF NOT EXISTS ${s}`);
  for (const table of tables) {
    statements.push(
      `CREATE OR REPLACE VIEW ${sqlName(table)} AS SELECT * FROM ${await readExpression(table)}`,
    );
  }
  await connection.run(statements.join(';\n'));
}

/** Sizes, row counts (from Parquet footers, cheap), partitions and schema of one table. */
export async function describeTable(
  connection: DuckDBConnection,
  table: TableLocation,
): Promise<CatalogTable> {
  const files = await tableFiles(table);
  const stats = await Promise.all(files.map((f) => stat(f)));
  const list = `[${files.map(quoteLiteral).join(', ')}]`;
  const meta = await connection.runAndReadAll(
    `SELECT file_name, num_rows FROM parquet_file_metadata(${list})`,
  );
  const rowsByFile = new Map(meta.getRowsJS().map(([file, rows]) => [String(file), Number(rows)]));
  // The files themselves, not the view: the catalog runs on the app's own DuckDB, which has no views.
  const schema = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${await readExpression(table)}`);
  const partitions = new Map<string, { name: string; files: number; bytes: number; rows: number }>();
  files.forEach((file, i) => {
    const rel = relative(table.dir, file).split(sep);
    const name = rel.length > 1 ? rel.slice(0, -1).join('/') : '(root)';
    const p = partitions.get(name) ?? { name, files: 0, bytes: 0, rows: 0 };
    p.files += 1;
    p.bytes += stats[i]?.size ?? 0;
    p.rows += rowsByFile.get(file) ?? 0;
    partitions.set(name, p);
  });
  const last = Math.max(0, ...stats.map((s) => s.mtimeMs));
  return {
    name: qualifiedName(table),
    layer: table.layer,
    path: table.dir,
    files: files.length,
    bytes: stats.reduce((n, s) => n + s.size, 0),
    rows: [...rowsByFile.values()].reduce((n, r) => n + r, 0),
    lastModified: last ? new Date(last).toISOString() : null,
    partitions: [...partitions.values()].sort((a, b) => a.name.localeCompare(b.name)),
    columns: schema.getRowsJS().map(([name, type]) => ({ name: String(name), type: String(type) })),
  };
}

/** A files.<name> name for an opened folder, unique among those already open. */
export function openedName(path: string, taken: Map<string, string>): string {
  const base =
    basename(path)
      .replace(/\.parquet$/i, '')
      .replace(/[^A-Za-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'folder';
  let name = base;
  for (let n = 2; taken.has(name) && taken.get(name) !== path; n++) name = `${base}_${n}`;
  return name;
}
