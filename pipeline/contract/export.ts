import { z } from 'zod';
import { call, event } from './define';
import type { CallSpec, EventSpec } from './define';

export const ExportFormat = z.enum(['csv', 'parquet', 'xlsx', 'tableau']);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** Excel's sheet holds 1,048,576 rows, one of them the header. */
export const EXCEL_MAX_ROWS = 1_048_575;

export const ExportableTable = z.object({
  /** The Gold table's name without the schema, e.g. "funnel_daily"; also the exported files' base name. */
  name: z.string(),
  /** What the table holds and its grain, from the comment heading its SQL; empty when unknown. */
  description: z.string(),
  rows: z.number(),
  bytes: z.number(),
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
});
export type ExportableTable = z.infer<typeof ExportableTable>;

export const ExportedFile = z.object({
  path: z.string(),
  table: z.string(),
  format: z.enum(['csv', 'parquet', 'xlsx', 'tds', 'tdsx']),
  bytes: z.number(),
});
export type ExportedFile = z.infer<typeof ExportedFile>;

const ExportId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" or "-"');

export const ExportRequest = z
  .object({
    tables: z.array(z.string().min(1).max(200)).max(100).default([]),
    /** Saved SQL results (a Parquet or CSV file the SQL console saved) exported like a Gold table. */
    results: z.array(z.string().min(1)).max(50).default([]),
    formats: z.array(ExportFormat).min(1, 'choose at least one format'),
    outDir: z.string().min(1, 'choose an output folder'),
    force: z.boolean().default(false),
    /**
     * CSV cells that begin with =, +, -, @, tab or CR get a leading ' (spreadsheet formula injection);
     * true leaves numeric columns as they are, so a number such as -2 stays a number.
     */
    csvKeepNumbers: z.boolean().default(false),
    /** Chosen by the caller so it can cancel and follow progress of this export. */
    exportId: ExportId.optional(),
  })
  .strict()
  .refine((r) => r.tables.length + r.results.length > 0, {
    message: 'choose at least one table or saved result',
    path: ['tables'],
  });
export type ExportRequest = z.input<typeof ExportRequest>;

export const ExportProgress = z.object({
  exportId: z.string(),
  /** What is being written now, e.g. "funnel_daily.csv". */
  step: z.string(),
  done: z.number().int(),
  total: z.number().int(),
});
export type ExportProgress = z.infer<typeof ExportProgress>;

export const exportCalls = {
  'export.tables': call(
    'The Gold tables that can be exported, with row counts, sizes and columns.',
    z.object({}).strict(),
    z.object({ lakeDir: z.string(), tables: z.array(ExportableTable) }),
  ),
  'export.run': call(
    'Export Gold tables as CSV, Parquet, Excel and Tableau data sources (.tds, .tdsx) into a folder, atomically.',
    ExportRequest,
    z.object({ outDir: z.string(), files: z.array(ExportedFile) }),
  ),
  'export.cancel': call(
    'Cancel a running export; nothing it wrote stays behind.',
    z.object({ exportId: ExportId }).strict(),
    z.object({ cancelled: z.boolean() }),
  ),
} satisfies Record<string, CallSpec>;

export const exportEvents = {
  'export.progress': event('A running export moved on to its next file.', ExportProgress),
} satisfies Record<string, EventSpec>;
