import { resolve } from 'node:path';
import { ApiError } from '../../contract/envelope';
import { ExportFormat, ExportRequest } from '../../contract/export';
import { goldSources } from '../../export/gold-tables';
import { exportGold } from '../../export/service';
import { EXIT_USAGE, type Command } from '../command';

const DEFAULT_FORMATS = 'csv,parquet,tableau';
const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export Gold tables as CSV, Parquet, Excel and Tableau data sources (.tds, .tdsx), atomically.',
  synopsis: `--lake DIR --out DIR [--tables T,...] [--results FILE,...] [--format csv,parquet,xlsx,tableau] [--csv-keep-numbers] [--force]`,
  options: {
    lake: { type: 'string' },
    out: { type: 'string' },
    tables: { type: 'string' },
    results: { type: 'string' },
    format: { type: 'string' },
    force: { type: 'boolean' },
    'csv-keep-numbers': { type: 'boolean' },
  },
  async run({ values }, io) {
    if (typeof values.lake !== 'string' || typeof values.out !== 'string') {
      io.err(`Usage: clickpulse export ${exportCommand.synopsis}`);
      return EXIT_USAGE;
    }
    const formats = list(typeof values.format === 'string' ? values.format : DEFAULT_FORMATS);
    const unknown = formats.filter((f) => !ExportFormat.safeParse(f).success);
    if (unknown.length > 0 || formats.length === 0) {
      io.err(
        `clickpulse export: unknown format ${unknown.map((f) => `"${f}"`).join(', ') || '""'}; choose from ${ExportFormat.options.join(', ')}.`,
      );
      return EXIT_USAGE;
    }
    const lake = values.lake;
    const stop = new AbortController();
    void io.stopSignal.then(() => stop.abort());
    try {
      const results = typeof values.results === 'string' ? list(values.results).map((f) => resolve(f)) : [];
      const tables =
        typeof values.tables === 'string'
          ? list(values.tables)
          : results.length
            ? []
            : (await goldSources(lake)).map((t) => t.name);
      if (tables.length === 0 && results.length === 0) {
        io.err(`clickpulse export: no Gold tables in ${lake}: build them first (clickpulse build all).`);
        return 1;
      }
      const request = ExportRequest.parse({
        tables,
        results,
        formats,
        outDir: values.out,
        force: values.force === true,
        csvKeepNumbers: values['csv-keep-numbers'] === true,
      });
      const result = await exportGold(lake, request, {
        signal: stop.signal,
        onProgress: (p) => {
          if (p.done < p.total) io.err(`[${p.done + 1}/${p.total}] ${p.step}`);
        },
      });
      for (const file of result.files) io.out(`${file.path}\t${file.bytes}`);
      return 0;
    } catch (error) {
      const hint =
        error instanceof ApiError && error.code === 'CONFLICT' ? ' Pass --force to overwrite them.' : '';
      io.err(`clickpulse export: ${error instanceof Error ? error.message : String(error)}${hint}`);
      return 1;
    }
  },
};
