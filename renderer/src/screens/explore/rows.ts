import type { RowsPage } from '../../../../pipeline/contract';

/** The index of a column of a RowsPage, or -1. */
export function columnIndex(page: Pick<RowsPage, 'columns'>, name: string): number {
  return page.columns.findIndex((c) => c.name === name);
}

export function cellOf(page: RowsPage, row: unknown[], name: string): unknown {
  const i = columnIndex(page, name);
  return i < 0 ? undefined : row[i];
}

/** A key value as lineage takes it: dates as YYYY-MM-DD, instants as ISO, everything else as text. */
export function keyText(value: unknown, type: string): string {
  const t = type.toUpperCase();
  if (typeof value === 'number' && t === 'DATE') return new Date(value).toISOString().slice(0, 10);
  if (typeof value === 'number' && t.startsWith('TIMESTAMP')) return new Date(value).toISOString();
  return String(value);
}
