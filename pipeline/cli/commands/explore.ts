import { resolve } from 'node:path';
import { ExploreService } from '../../explore/service';
import { defaultConfigDir } from '../../workbench';
import { EXIT_USAGE, type Command } from '../command';
import { FORMATS, printRows } from '../rows-output';

const USAGE =
  'Usage: clickpulse explore --lake DIR "QUERY" [--from ISO --to ISO] [--limit N] [--format table|csv|json]';

export const exploreCommand: Command = {
  name: 'explore',
  summary:
    'Search Silver events: field filters (brand:apple price>100 -event_type:view) and free text, newest first.',
  synopsis: '--lake DIR "QUERY" [--from ISO --to ISO] [--limit N] [--format table|csv|json]',
  options: {
    lake: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    limit: { type: 'string' },
    format: { type: 'string' },
  },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    const format = typeof values.format === 'string' ? values.format : 'table';
    const limitText = typeof values.limit === 'string' ? values.limit : '1000';
    if (typeof values.lake !== 'string' || positionals.length > 1 || !FORMATS.includes(format)) {
      io.err(USAGE);
      return EXIT_USAGE;
    }
    if (!/^\d+$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 10_000_000) {
      io.err(`clickpulse explore: --limit must be a whole number from 1 to 10000000, not "${limitText}".`);
      return EXIT_USAGE;
    }
    const lake = resolve(values.lake);
    const service = new ExploreService({ lakeDir: async () => lake, configDir: defaultConfigDir() });
    const request = {
      query: positionals[0] ?? '',
      ...(typeof values.from === 'string' ? { from: values.from } : {}),
      ...(typeof values.to === 'string' ? { to: values.to } : {}),
    };
    try {
      const limit = Number(limitText);
      const first = await service.search({ ...request, limit: Math.min(limit, 10_000) });
      const rows = [...first.rows];
      while (rows.length < Math.min(limit, first.total)) {
        const next = await service.page({
          ...request,
          offset: rows.length,
          limit: Math.min(10_000, limit - rows.length),
        });
        if (!next.rows.length) break;
        rows.push(...next.rows);
      }
      printRows(io, { columns: first.columns, rows }, format);
      io.err(
        rows.length < first.total
          ? `${rows.length} of ${first.total} matching events (newest first; --limit N for more)`
          : `${first.total} matching event${first.total === 1 ? '' : 's'}`,
      );
      return 0;
    } catch (error) {
      io.err(`clickpulse explore: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    } finally {
      service.dispose();
    }
  },
};
