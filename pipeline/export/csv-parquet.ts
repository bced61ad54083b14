import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, quoteLiteral } from '../query/sql-builder';
import { forceQuoteOption, guardCsvColumns, type CsvColumn } from './csv-guard';
import type { GoldSource } from './gold-tables';
import { tableauField } from './tableau-fields';

/**
 * The CSV's columns: timestamps as ISO-8601 (UTC, "T" separator, fraction only when there is one) and
 * ids as text, so every reader (Tableau, Excel, pandas) sees the same values DuckDB holds.
 */
function csvColumns(source: GoldSource): CsvColumn[] {
  return source.columns.map((c) => {
    const ident = quoteIdent(c.name);
    const type = c.type.toUpperCase();
    if (type.startsWith('TIMESTAMP')) {
      return {
        name: c.name,
        type: c.type,
        expression: `regexp_replace(strftime(${ident}, '%Y-%m-%dT%H:%M:%S.%f'), '\\.?0+$', '')`,
      };
    }
    if (tableauField(c.name, c.type).datatype === 'string')
      return { name: c.name, type: 'VARCHAR', expression: `CAST(${ident} AS VARCHAR)` };
    return { name: c.name, type: c.type, expression: ident };
  });
}

/**
 * RFC 4180 CSV: UTF-8, header row, comma, double-quote quoting, CRLF line ends, '.' decimal point; cells a
 * spreadsheet would run as a formula are neutralized (see csv-guard.ts).
 */
export async function writeCsv(
  db: DuckDBConnection,
  source: GoldSource,
  path: string,
  keepNumbers: boolean,
): Promise<void> {
  const { select, forceQuote } = guardCsvColumns(csvColumns(source), keepNumbers);
  await db.run(
    `COPY (SELECT ${select} FROM ${source.read}) TO ${quoteLiteral(path)} (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '"', ESCAPE '"', NEW_LINE '\\r\\n'${forceQuoteOption(forceQuote)})`,
  );
}

export async function writeParquet(db: DuckDBConnection, source: GoldSource, path: string): Promise<void> {
  await db.run(
    `COPY (SELECT * FROM ${source.read}) TO ${quoteLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`,
  );
}
