import type { DuckDBConnection } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import { columnKind } from '../contract/query';
import type { GoldSource } from './gold-tables';
import { tableauField } from './tableau-fields';

const BATCH = 10_000;

/**
 * One sheet named after the table, typed cells (numbers as numbers, dates as Excel dates, ids as text), a
 * bold frozen header and an auto filter. Rows stream from DuckDB to the file, so memory stays flat.
 */
export async function writeXlsx(
  db: DuckDBConnection,
  source: GoldSource,
  path: string,
  aborted: () => void,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true });
  const sheet = workbook.addWorksheet(source.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  const convert = source.columns.map((c) => cellConverter(c.name, c.type));
  sheet.columns = source.columns.map((c) => ({
    header: c.name,
    key: c.name,
    width: Math.max(12, Math.min(40, c.name.length + 4)),
    style: numberFormat(c.type) ? { numFmt: numberFormat(c.type) } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: source.columns.length } };
  sheet.getRow(1).commit();
  const result = await db.stream(`SELECT * FROM ${source.read}`);
  let pending = 0;
  for await (const rows of result.yieldRowsJs()) {
    for (const row of rows) {
      sheet.addRow(row.map((value, i) => convert[i]?.(value) ?? null)).commit();
      if (++pending >= BATCH) {
        pending = 0;
        aborted();
      }
    }
  }
  sheet.commit();
  await workbook.commit();
}

type Cell = string | number | boolean | Date | null;

function cellConverter(name: string, type: string): (value: unknown) => Cell {
  const asText = tableauField(name, type).datatype === 'string';
  const kind = columnKind(type);
  return (value) => {
    if (value === null || value === undefined) return null;
    if (asText) return String(value);
    if (value instanceof Date) return value;
    if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
    if (typeof value === 'number' || typeof value === 'boolean') return value;
    if (kind === 'number') return Number(value);
    return String(value);
  };
}

function numberFormat(type: string): string | undefined {
  const t = type.toUpperCase();
  if (t === 'DATE') return 'yyyy-mm-dd';
  if (t.startsWith('TIMESTAMP')) return 'yyyy-mm-dd hh:mm:ss';
  return undefined;
}
