import { tableFromIPC } from 'apache-arrow';
import { QueryService } from '../../query/service';
import { toCsvLine, renderTable } from '../table-text';
import { EXIT_USAGE, type Command } from '../command';

const PAGE = 10_000;

export const queryCommand: Command = {
  name: 'query',
  summary: 'Run read-only SQL over the lake (views bronze.*, silver.*, gold.*).',
  synopsis: '--lake DIR "SQL" [--format table|csv|json]',
  options: { lake: { type: 'string' }, format: { type: 'string' } },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    const format = typeof values.format === 'string' ? values.format : 'table';
    if (
      typeof values.lake !== 'string' ||
      positionals.length !== 1 ||
      !['table', 'csv', 'json'].includes(format)
    ) {
      io.err('Usage: clickpulse query --lake DIR "SQL" [--format table|csv|json]');
      return EXIT_USAGE;
    }
    const lake = values.lake;
    const service = new QueryService(async () => lake);
    try {
      const opened = await service.runSql(positionals[0] ?? '');
      const names = opened.columns.map((c) => c.name);
      const types = opened.columns.map((c) => c.type.toUpperCase());
      const cell = (value: unknown, i: number) => text(value, types[i] ?? '');
      const rows: unknown[][] = [];
      for (let offset = 0; offset < opened.totalRows; offset += PAGE) {
        const { page } = await service.page(opened.queryId, offset, PAGE);
        const table = tableFromIPC(page);
        for (const row of table) rows.push(names.map((n) => (row as Record<string, unknown>)[n]));
      }
      if (format === 'json') {
        for (const row of rows) {
          io.out(
            JSON.stringify(Object.fromEntries(names.map((n, i) => [n, jsonValue(row[i], types[i] ?? '')]))),
          );
        }
      } else if (format === 'csv') {
        io.out(toCsvLine(names));
        for (const row of rows) io.out(toCsvLine(row.map(cell)));
      } else {
        io.out(
          renderTable(
            names,
            rows.map((r) => r.map(cell)),
          ),
        );
        io.err(`${opened.totalRows} row${opened.totalRows === 1 ? '' : 's'}`);
      }
      return 0;
    } catch (error) {
      io.err(`clickpulse query: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    } finally {
      await service.dispose();
    }
  },
};

/** Arrow gives dates and timestamps as epoch milliseconds; print them as ISO-8601 (UTC). */
function instant(value: unknown, type: string): string | undefined {
  if (typeof value !== 'number' && !(value instanceof Date)) return undefined;
  if (type === 'DATE') return new Date(value).toISOString().slice(0, 10);
  if (type.startsWith('TIMESTAMP')) return new Date(value).toISOString();
  return undefined;
}

function text(value: unknown, type: string): string {
  if (value === null || value === undefined) return '';
  const time = instant(value, type);
  if (time !== undefined) return time;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return String(value);
}

function jsonValue(value: unknown, type: string): unknown {
  const time = instant(value, type);
  if (time !== undefined) return time;
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return value ?? null;
}
