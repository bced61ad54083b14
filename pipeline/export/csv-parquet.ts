import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, quoteLiteral } from '../query/sql-builder';
import type { GoldSource } from './gold-tables';
import { tableauField } from './tableau-fields';

/**
 * The CSV's select list: timestamps as ISO-8601 (UTC, "T" separator, fraction only when there is one) and
 * ids as text, so every reader (Tableau, Excel, pandas) sees the same values DuckDB holds.
 */
function csvSelect(source: GoldSource): string {
  const list = source.columns.map((c) => {
    const ident = quoteIdent(c.name);
    const type = c.type.toUpperCase();
    if (type.startsWith('TIMESTAMP')) {
      return `regexp_replace(strftime(${ident}, '%Y-%m-%dT%H:%M:%S.%f'), '\\.?0+$', '') AS ${ident}`;
    }
    if (tableauField(c.name, c.type).datatype === 'string') return `CAST(${ident} AS VARCHAR) AS ${ident}`;
    return ident;
  });
  return `SELECT ${list.join(', ')} FROM ${source.read}`;
}

/** RFC 4180 CSV: UTF-8, header row, comma, double-quote quoting, CRLF line ends, '.' decimal point. */
export async function writeCsv(db: DuckDBConnection, source: GoldSource, path: string): Promise<void> {
  await db.run(
    `COPY (${csvSelect(source)}) TO ${quoteLiteral(path)} (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '"', ESCAPE '"', NEW_LINE '\\r\\n')`,
  );
}

export async function writeParquet(db: DuckDBConnection, source: GoldSource, path: string): Promise<void> {
  await db.run(
    `COPY (SELECT * FROM ${source.read}) TO ${quoteLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`,
  );
}
