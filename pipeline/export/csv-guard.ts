import { columnKind } from '../contract/query';
import { quoteIdent } from '../query/sql-builder';

/** One column of a CSV: its name, the SQL that yields its value, and the DuckDB type of that value. */
export interface CsvColumn {
  name: string;
  expression: string;
  type: string;
}

/**
 * Formula (CSV) injection guard, per OWASP's guidance: a spreadsheet runs a cell that begins with `=`, `+`,
 * `-`, `@`, tab or carriage return as a formula (`=HYPERLINK(...)`, `-2+3`), so such a cell gets a leading
 * single quote and every guarded column is quoted. Dates, timestamps and booleans never begin with one of
 * those. Numbers can (`-2`): with keepNumbers a numeric column is written as it is, which keeps it a number
 * for Excel and Tableau; a typed number cannot hold a formula.
 */
export function guardCsvColumns(
  columns: CsvColumn[],
  keepNumbers: boolean,
): { select: string; forceQuote: string[] } {
  const forceQuote: string[] = [];
  const list = columns.map((c) => {
    const ident = quoteIdent(c.name);
    const kind = columnKind(c.type);
    const guarded = kind === 'text' || (kind === 'number' && !keepNumbers);
    if (!guarded) return `${c.expression} AS ${ident}`;
    forceQuote.push(ident);
    const text =
      kind === 'text' && /^VARCHAR$/i.test(c.type) ? c.expression : `CAST(${c.expression} AS VARCHAR)`;
    return `(CASE WHEN regexp_matches(${text}, '^[=+\\-@\\t\\r]') THEN '''' || ${text} ELSE ${text} END) AS ${ident}`;
  });
  return { select: list.join(', '), forceQuote };
}

/** The COPY option that quotes the guarded columns ('' when there are none). */
export function forceQuoteOption(forceQuote: string[]): string {
  return forceQuote.length ? `, FORCE_QUOTE (${forceQuote.join(', ')})` : '';
}
