import { ApiError, missingRequired, type SourceInspection } from '../../contract';
import { withLakeDb } from '../../lake/duckdb';
import { proposeMapping } from './mapping';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sampleJsonLines } from './json-sample';
import { checkFile, sourceExpression, type SourceFormat } from './read-source';

const PREVIEW_ROWS = 100;

/**
 * What the Replay setup shows before anything is sent: the format, DuckDB's detected column types, the
 * first rows, the recognized layout and a proposed mapping to the canonical event.
 */
export async function inspectSource(path: string): Promise<SourceInspection> {
  const { size, format } = await checkFile(path);
  return withLakeDb(async (db) => {
    try {
      const { columns, rows } =
        format === 'json'
          ? await sampleJsonLines(db, path, PREVIEW_ROWS)
          : await sampleTable(db, path, format);
      if (columns.length === 0) {
        throw new ApiError({
          code: 'VALIDATION',
          message: `${path} holds no JSON object on any of its first lines.`,
        });
      }
      const proposal = proposeMapping(columns.map((c) => c.name));
      const missing = missingRequired(proposal.mapping, proposal.constantEventType);
      return {
        path,
        format,
        sizeBytes: size,
        columns,
        preview: rows,
        kind: proposal.kind,
        mapping: proposal.mapping,
        constantEventType: proposal.constantEventType ?? null,
        missingRequired: missing,
        message: missing.length
          ? `Map a column to ${missing.join(', ')}: ${missing.length === 1 ? 'it is' : 'they are'} required.`
          : null,
      };
    } catch (error) {
      if (error instanceof ApiError) throw error;
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      throw new ApiError({
        code: 'VALIDATION',
        message: `${path} cannot be read as ${format.toUpperCase()}: ${reason}`,
      });
    }
  });
}

/** Columns with DuckDB's detected types, and the first rows as text (CSV, Parquet). */
async function sampleTable(db: DuckDBConnection, path: string, format: SourceFormat) {
  const typed = await db.runAndReadAll(`DESCRIBE SELECT * FROM ${sourceExpression(path, format, false)}`);
  const columns = typed.getRowsJS().map(([name, type]) => ({ name: String(name), type: String(type) }));
  const preview = await db.runAndReadAll(
    `SELECT * FROM ${sourceExpression(path, format, true)} LIMIT ${PREVIEW_ROWS}`,
  );
  return { columns, rows: preview.getRowsJS().map((row) => row.map(asText)) };
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (typeof value === 'object')
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}
