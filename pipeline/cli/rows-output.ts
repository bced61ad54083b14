import type { RowsPage } from '../contract';
import type { CliIO } from './command';
import { renderTable, toCsvLine } from './table-text';

/** JSON rows (epoch ms for instants, see contract/explore.ts) as text: ISO-8601 UTC for times and dates. */
function cell(value: unknown, type: string): string {
  if (value === null || value === undefined) return '';
  const t = type.toUpperCase();
  if (typeof value === 'number' && t === 'DATE') return new Date(value).toISOString().slice(0, 10);
  if (typeof value === 'number' && t.startsWith('TIMESTAMP')) return new Date(value).toISOString();
  const scale = /^DECIMAL\(\d+,\s*(\d+)\)/.exec(t)?.[1];
  if (scale !== undefined && typeof value === 'number') return value.toFixed(Number(scale));
  return String(value);
}

export function printRows(io: CliIO, page: RowsPage, format: string): void {
  const names = page.columns.map((c) => c.name);
  const text = page.rows.map((row) => row.map((v, i) => cell(v, page.columns[i]?.type ?? '')));
  if (format === 'json') {
    page.rows.forEach((row, r) => {
      io.out(
        JSON.stringify(
          Object.fromEntries(
            names.map((n, i) => {
              const type = (page.columns[i]?.type ?? '').toUpperCase();
              const v = row[i] ?? null;
              const asText = typeof v === 'number' && (type === 'DATE' || type.startsWith('TIMESTAMP'));
              return [n, asText ? text[r]?.[i] : v];
            }),
          ),
        ),
      );
    });
  } else if (format === 'csv') {
    io.out(toCsvLine(names));
    for (const row of text) io.out(toCsvLine(row));
  } else {
    io.out(renderTable(names, text));
  }
}

export const FORMATS = ['table', 'csv', 'json'];
