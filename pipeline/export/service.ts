import type { DuckDBConnection } from '@duckdb/node-api';
import { stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ApiError } from '../contract/envelope';
import { EXCEL_MAX_ROWS, type ExportedFile, type ExportFormat } from '../contract/export';
import { withLakeDb } from '../lake/duckdb';
import { writeCsv, writeParquet } from './csv-parquet';
import { writeXlsx } from './excel';
import { goldSources, pickSources, resultSources, type GoldSource } from './gold-tables';
import { conflict, exists, Staging } from './staging';
import { tableauField } from './tableau-fields';
import { renderTds } from './tds';
import { tdsxDataDir, writeTdsx } from './tdsx';

export interface ExportOptions {
  tables: string[];
  /** Saved SQL results (Parquet or CSV files) to export like Gold tables. */
  results?: string[];
  formats: ExportFormat[];
  outDir: string;
  force: boolean;
  /** Leave numeric CSV columns untouched by the formula-injection guard (see csv-guard.ts). */
  csvKeepNumbers?: boolean;
}

export interface ExportHooks {
  signal?: AbortSignal;
  onProgress?: (progress: { step: string; done: number; total: number }) => void;
}

type FileFormat = ExportedFile['format'];

interface Step {
  table: GoldSource;
  format: FileFormat;
  name: string;
}

/**
 * Exports Gold tables into a folder: every file is written in a staging folder first and moved into place
 * only when all are complete, so a failed or cancelled export leaves the folder exactly as it was.
 */
export async function exportGold(
  lake: string,
  options: ExportOptions,
  hooks: ExportHooks = {},
): Promise<{ outDir: string; files: ExportedFile[] }> {
  const outDir = resolve(options.outDir);
  const gold = options.tables.length ? pickSources(await goldSources(lake), options.tables) : [];
  const sources = [
    ...gold,
    ...(await resultSources(
      options.results ?? [],
      gold.map((g) => g.name),
    )),
  ];
  const formats = new Set(options.formats);
  const tooBig = formats.has('xlsx') ? sources.filter((s) => s.rows > EXCEL_MAX_ROWS) : [];
  if (tooBig.length > 0) {
    const list = tooBig.map((s) => `${s.name} (${s.rows.toLocaleString('en-US')} rows)`).join(', ');
    throw new ApiError({
      code: 'VALIDATION',
      message: `Excel holds at most ${EXCEL_MAX_ROWS.toLocaleString('en-US')} rows a sheet: ${list} — export ${tooBig.length === 1 ? 'it' : 'them'} as CSV or Parquet instead.`,
    });
  }
  const steps = plan(sources, formats);
  if (!options.force) {
    const taken = [];
    for (const step of steps) if (await exists(join(outDir, step.name))) taken.push(join(outDir, step.name));
    if (taken.length > 0) throw conflict(taken);
  }
  const staging = await Staging.open(outDir);
  try {
    await withLakeDb(async (db) => {
      const interrupt = () => db.interrupt();
      hooks.signal?.addEventListener('abort', interrupt);
      try {
        for (const [done, step] of steps.entries()) {
          throwIfCancelled(hooks.signal);
          hooks.onProgress?.({ step: step.name, done, total: steps.length });
          await writeStep(db, step, staging, outDir, options.csvKeepNumbers === true, () =>
            throwIfCancelled(hooks.signal),
          );
        }
      } finally {
        hooks.signal?.removeEventListener('abort', interrupt);
      }
    });
    throwIfCancelled(hooks.signal);
  } catch (error) {
    await staging.discard();
    if (hooks.signal?.aborted) throw cancelled();
    throw error instanceof ApiError ? error : failure(error);
  }
  const paths = await staging.commit(
    steps.map((s) => s.name),
    options.force,
  );
  hooks.onProgress?.({ step: 'done', done: steps.length, total: steps.length });
  return {
    outDir,
    files: await Promise.all(
      steps.map(async (step, i) => {
        const path = paths[i] ?? join(outDir, step.name);
        return { path, table: step.table.name, format: step.format, bytes: (await stat(path)).size };
      }),
    ),
  };
}

/** The files to write, table by table; Tableau needs the CSV its .tds points at, so it brings it along. */
function plan(sources: GoldSource[], formats: Set<ExportFormat>): Step[] {
  const steps: Step[] = [];
  for (const table of sources) {
    const add = (format: FileFormat) => steps.push({ table, format, name: `${table.name}.${format}` });
    if (formats.has('csv') || formats.has('tableau')) add('csv');
    if (formats.has('parquet')) add('parquet');
    if (formats.has('xlsx')) add('xlsx');
    if (formats.has('tableau')) {
      add('tds');
      add('tdsx');
    }
  }
  return steps;
}

async function writeStep(
  db: DuckDBConnection,
  step: Step,
  staging: Staging,
  outDir: string,
  csvKeepNumbers: boolean,
  checkCancelled: () => void,
): Promise<void> {
  const path = staging.path(step.name);
  const { table } = step;
  const fields = table.columns.map((c) => tableauField(c.name, c.type));
  const csvName = `${table.name}.csv`;
  switch (step.format) {
    case 'csv':
      return writeCsv(db, table, path, csvKeepNumbers);
    case 'parquet':
      return writeParquet(db, table, path);
    case 'xlsx':
      return writeXlsx(db, table, path, checkCancelled);
    case 'tds':
      // Points at the CSV where it will be once the export commits, not at the staging copy.
      return writeFile(
        path,
        renderTds({ caption: table.name, directory: outDir, filename: csvName, fields }),
        'utf8',
      );
    case 'tdsx':
      return writeTdsx(path, {
        table: table.name,
        tdsName: `${table.name}.tds`,
        tds: renderTds({
          caption: table.name,
          directory: tdsxDataDir(table.name),
          filename: csvName,
          fields,
        }),
        csvName,
        csvPath: staging.path(csvName),
      });
  }
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}

function cancelled(): ApiError {
  return new ApiError({ code: 'CANCELLED', message: 'The export was cancelled; no file was written.' });
}

function failure(error: unknown): ApiError {
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError({ code: 'FAILED', message: `The export failed: ${message}` });
}
