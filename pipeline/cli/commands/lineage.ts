import { resolve } from 'node:path';
import { LineageCondition } from '../../contract';
import { ExploreService } from '../../explore/service';
import { defaultConfigDir } from '../../workbench';
import { EXIT_USAGE, type Command } from '../command';
import { FORMATS, printRows } from '../rows-output';

const SYNOPSIS =
  '--lake DIR --table T (--key k=v[,k=v…] | --where k=v[|v…] | --where k=FROM..TO …) [--format table|csv|json] [--lines [--source FILE]]';
const USAGE = `Usage: clickpulse lineage ${SYNOPSIS}`;

const LINEAGE_COLUMNS = ['topic', 'partition', 'offset', 'source_id', 'source_row'];
const PAGE = 10_000;

/** "event_date=2019-10-01,category_l1=(none)" → { event_date: …, category_l1: … }; "\," keeps a comma in a value. */
export function parseKeys(texts: string[]): Record<string, string> | string {
  const key: Record<string, string> = {};
  for (const text of texts) {
    for (const part of text.split(/(?<!\\),/)) {
      const eq = part.indexOf('=');
      if (eq < 1) return `--key takes name=value pairs separated by commas, not "${part}".`;
      key[part.slice(0, eq).trim()] = part.slice(eq + 1).replace(/\\,/g, ',');
    }
  }
  return key;
}

/**
 * "--where" conditions, as the Lineage screen sends them for a figure over several Gold rows:
 * "brand=apple|samsung" (any of these values), "event_date=2019-10-01..2019-10-03" (inclusive; either end may
 * be left out), "event_type=purchase" (one value); "\|" keeps a "|" in a value.
 */
export function parseWhere(texts: string[]): LineageCondition[] | string {
  const conditions: LineageCondition[] = [];
  for (const text of texts) {
    const eq = text.indexOf('=');
    if (eq < 1) return `--where takes name=value, name=v1|v2 or name=FROM..TO, not "${text}".`;
    const key = text.slice(0, eq).trim();
    const value = text.slice(eq + 1);
    const range = /^(.*?)\.\.(.*)$/.exec(value);
    const condition = range
      ? { key, ...(range[1] ? { from: range[1] } : {}), ...(range[2] ? { to: range[2] } : {}) }
      : { key, in: value.split(/(?<!\\)\|/).map((v) => v.replace(/\\\|/g, '|')) };
    const parsed = LineageCondition.safeParse(condition);
    if (!parsed.success) return `--where ${text}: ${parsed.error.issues[0]?.message ?? 'not a condition'}.`;
    conditions.push(parsed.data);
  }
  return conditions;
}

export const lineageCommand: Command = {
  name: 'lineage',
  summary:
    'The Silver rows behind one Gold row, each with its Bronze topic, partition and offset and its source file and row.',
  synopsis: SYNOPSIS,
  options: {
    lake: { type: 'string' },
    table: { type: 'string' },
    key: { type: 'string', multiple: true },
    where: { type: 'string', multiple: true },
    format: { type: 'string' },
    lines: { type: 'boolean' },
    source: { type: 'string', multiple: true },
  },
  async run({ values }, io) {
    const format = typeof values.format === 'string' ? values.format : 'table';
    const keyTexts = Array.isArray(values.key) ? values.key.map(String) : [];
    const whereTexts = Array.isArray(values.where) ? values.where.map(String) : [];
    if (
      typeof values.lake !== 'string' ||
      typeof values.table !== 'string' ||
      !(keyTexts.length || whereTexts.length) ||
      !FORMATS.includes(format)
    ) {
      io.err(USAGE);
      return EXIT_USAGE;
    }
    const key = parseKeys(keyTexts);
    const where = parseWhere(whereTexts);
    if (typeof key === 'string' || typeof where === 'string') {
      io.err(`clickpulse lineage: ${typeof key === 'string' ? key : where}`);
      return EXIT_USAGE;
    }
    const lake = resolve(values.lake);
    const service = new ExploreService({
      lakeDir: async () => lake,
      configDir: defaultConfigDir(),
      sourceFiles: (Array.isArray(values.source) ? values.source : []).map((s) => resolve(String(s))),
    });
    try {
      const first = await service.lineage({ table: values.table, key, where, offset: 0, limit: PAGE });
      const rows = [...first.rows];
      while (rows.length < first.total) {
        const next = await service.lineage({
          table: values.table,
          key,
          where,
          offset: rows.length,
          limit: PAGE,
        });
        if (!next.rows.length) break;
        rows.push(...next.rows);
      }
      // Lineage first, then the event's own columns.
      const order = [
        ...LINEAGE_COLUMNS.map((n) => first.columns.findIndex((c) => c.name === n)).filter((i) => i >= 0),
        ...first.columns.map((c, i) => (LINEAGE_COLUMNS.includes(c.name) ? -1 : i)).filter((i) => i >= 0),
      ];
      const columns = order.map((i) => first.columns[i] as (typeof first.columns)[number]);
      let picked = rows.map((row) => order.map((i) => row[i]));
      if (values.lines === true) {
        columns.push({ name: 'source_line', type: 'BIGINT' }, { name: 'source_text', type: 'VARCHAR' });
        const at = (n: string) => columns.findIndex((c) => c.name === n);
        const withLines: unknown[][] = [];
        // One at a time: each reads its source file up to its line.
        for (const row of picked) {
          const { source } = await service.record({
            topic: String(row[at('topic')]),
            partition: Number(row[at('partition')]),
            offset: Number(row[at('offset')]),
          });
          withLines.push([...row, source?.line ?? null, source?.text ?? source?.note ?? null]);
        }
        picked = withLines;
      }
      if (!first.gold) io.err(`No row of gold.${first.table} has ${JSON.stringify(key)}.`);
      printRows(io, { columns, rows: picked }, format);
      io.err(
        `${first.total} Silver row${first.total === 1 ? '' : 's'} behind gold.${first.table} ${JSON.stringify(key)}`,
      );
      return 0;
    } catch (error) {
      io.err(`clickpulse lineage: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    } finally {
      service.dispose();
    }
  },
};
