import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../../query/sql-builder';

const SAMPLE_LINES = 1000;

/** The file's lines as text, one row each, numbered as in the file (the replay reads JSON lines this way too). */
export function jsonLines(path: string): string {
  return `read_csv(${quoteLiteral(path)}, columns = {'line': 'VARCHAR'}, header = false, auto_detect = false, delim = '\\x01', quote = '', escape = '')`;
}

/**
 * Columns and preview of a JSON-lines file from its first object lines. DuckDB's read_json gives up on the
 * whole file at one line that is not an object (even with ignore_errors), so the lines are parsed one by
 * one: a bad line is left out here and goes to the DLQ in the replay.
 */
export async function sampleJsonLines(
  db: DuckDBConnection,
  path: string,
  previewRows: number,
): Promise<{ columns: { name: string; type: string }[]; rows: (string | null)[][] }> {
  const objects = `SELECT j FROM (SELECT TRY(json(line)) AS j FROM ${jsonLines(path)}) WHERE json_type(j) = 'OBJECT' LIMIT ${SAMPLE_LINES}`;
  const structure = (
    await db.runAndReadAll(`SELECT json_group_structure(j)::VARCHAR FROM (${objects})`)
  ).getRowsJS()[0]?.[0];
  const shape = structure ? (JSON.parse(String(structure)) as Record<string, unknown>) : {};
  const columns = Object.entries(shape).map(([name, type]) => ({
    name,
    type: typeof type === 'string' ? type : 'JSON',
  }));
  if (columns.length === 0) return { columns, rows: [] };
  const fields = columns.map((c) => `j ->> ${quoteLiteral(c.name)}`).join(', ');
  const preview = await db.runAndReadAll(`SELECT ${fields} FROM (${objects}) LIMIT ${previewRows}`);
  return {
    columns,
    rows: preview.getRowsJS().map((r) => r.map((v) => (v === null || v === undefined ? null : String(v)))),
  };
}
