import type { ExportFormat } from '../../../../pipeline/contract';

/** The formats the screen offers, with what each produces. */
export const FORMATS: { id: ExportFormat; label: string; hint: string }[] = [
  { id: 'csv', label: 'CSV', hint: 'UTF-8, header row, ISO-8601 timestamps, RFC 4180 quoting' },
  { id: 'parquet', label: 'Parquet', hint: 'typed, compressed (zstd); DuckDB, Spark and pandas read it' },
  { id: 'xlsx', label: 'Excel (.xlsx)', hint: 'one typed sheet per table, up to 1,048,575 rows' },
  {
    id: 'tableau',
    label: 'Tableau (.tds + .tdsx)',
    hint: 'a typed data source over the CSV (written too), and a packaged one that carries its data',
  },
];
