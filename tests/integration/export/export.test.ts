import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../pipeline/contract';
import { exportGold } from '../../../pipeline/export/service';
import { dispatch } from '../../../pipeline/workbench';
import { goldTables } from '../../../pipeline/lake/gold/tables';
import { quoteLiteral } from '../../../pipeline/query/sql-builder';
import { run } from '../../helpers/exec';
import { testWorkbench } from '../../helpers/workbench';
import { buildSampleGold } from './gold-lake';

type Column = { name: string; type: string };
type Table = { name: string; description: string; rows: number; bytes: number; columns: Column[] };
type File = { path: string; table: string; format: string; bytes: number };

let ctx: Awaited<ReturnType<typeof testWorkbench>>;
let lake: string;
let duck: DuckDBInstance;
let db: DuckDBConnection;
const rows = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJS();

async function call<T>(name: string, payload: unknown): Promise<T> {
  const answer = await dispatch(ctx.workbench, name, payload);
  if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.value as T;
}

async function failure(name: string, payload: unknown): Promise<{ code: string; message: string }> {
  const answer = await dispatch(ctx.workbench, name, payload);
  if (answer.ok) throw new Error(`${name} succeeded but should have failed`);
  return answer.error;
}

/** Parses a .tds with Python's XML parser (a real, independent one) and returns what Tableau reads. */
async function parseTds(text: string) {
  const script = `
import json, sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
fed = root.find('connection')
named = fed.find('named-connections/named-connection/connection')
rel = fed.find('relation')
print(json.dumps({
  'root': root.tag, 'federated': fed.get('class'), 'textscan': named.get('class'),
  'directory': named.get('directory'), 'filename': named.get('filename'),
  'relationConnection': rel.get('connection'), 'namedConnection': fed.find('named-connections/named-connection').get('name'),
  'relation': [[c.get('name'), c.get('datatype'), int(c.get('ordinal'))] for c in rel.find('columns')],
  'records': [r.find('remote-name').text for r in fed.find('metadata-records') if r.get('class') == 'column'],
  'columns': [{k: c.get(k) for k in ('name', 'datatype', 'role', 'type', 'aggregation', 'default-format')} for c in root.findall('column')],
}))`;
  const { code, stdout, stderr } = await run('python3', ['-c', script], { input: text });
  if (code !== 0) throw new Error(`not well-formed XML: ${stderr}`);
  return JSON.parse(stdout) as {
    root: string;
    federated: string;
    textscan: string;
    directory: string;
    filename: string;
    relationConnection: string;
    namedConnection: string;
    relation: [string, string, number][];
    records: string[];
    columns: {
      name: string;
      datatype: string;
      role: string;
      type: string;
      aggregation: string | null;
      'default-format': string | null;
    }[];
  };
}

/** The Tableau datatype each DuckDB type of a Gold table must get. */
function expectedDatatype(column: Column): string {
  const t = column.type.toUpperCase();
  if (/(^|_)id$/.test(column.name) || t === 'VARCHAR') return 'string';
  if (t === 'DATE') return 'date';
  if (t.startsWith('TIMESTAMP')) return 'datetime';
  if (t === 'BOOLEAN') return 'boolean';
  if (/INT/.test(t)) return 'integer';
  return 'real';
}

beforeAll(async () => {
  ctx = await testWorkbench();
  lake = join(ctx.dir, 'lake');
  await buildSampleGold(lake);
  duck = await DuckDBInstance.create(':memory:');
  db = await duck.connect();
  await db.run("SET TimeZone = 'UTC'");
});
afterAll(async () => {
  db.closeSync();
  duck.closeSync();
  await ctx.dispose();
});

describe('export of the Gold tables', () => {
  let outDir: string;
  let tables: Table[];
  let files: File[];

  beforeAll(async () => {
    // Spaces and non-ASCII characters on purpose: Tableau users keep data in folders like this.
    outDir = join(ctx.dir, 'Exports für Tableau', 'Oktober 2019');
    tables = (await call<{ tables: Table[] }>('export.tables', {})).tables;
    const result = await call<{ outDir: string; files: File[] }>('export.run', {
      tables: tables.map((t) => t.name),
      formats: ['csv', 'parquet', 'xlsx', 'tableau'],
      outDir,
    });
    files = result.files;
  });

  it('lists every Gold table with its row count and columns', () => {
    expect(tables.map((t) => t.name).sort()).toEqual(Object.keys(goldTables).sort());
    expect(tables.find((t) => t.name === 'session_stats')?.description).toBe(
      'Grain: one row per session (user_session, or a 30-minute inactivity session); event_date is the UTC day it started.',
    );
    for (const table of tables) {
      expect(table.description).toMatch(/^Grain: /);
      expect(table.rows).toBeGreaterThan(0);
      expect(table.columns.length).toBeGreaterThan(1);
    }
  });

  it('writes five files per table and nothing else (no staging left over)', async () => {
    expect(files).toHaveLength(tables.length * 5);
    const names = (await readdir(outDir)).sort();
    expect(names).toEqual(files.map((f) => f.path.slice(outDir.length + 1)).sort());
    for (const file of files) expect(file.bytes).toBe((await stat(file.path)).size);
  });

  it('writes CSVs that parse back to the same rows, with ISO-8601 timestamps and CRLF', async () => {
    for (const table of tables) {
      const csv = join(outDir, `${table.name}.csv`);
      const gold = `read_parquet(${quoteLiteral(join(lake, 'gold', table.name, '**', '*.parquet'))})`;
      const types = table.columns.map((c) => {
        const t = expectedDatatype(c) === 'string' ? 'VARCHAR' : c.type;
        return `${quoteLiteral(c.name)}: ${quoteLiteral(t.startsWith('TIMESTAMP') ? 'TIMESTAMP' : t)}`;
      });
      const back = `read_csv(${quoteLiteral(csv)}, header = true, columns = {${types.join(', ')}})`;
      const select = table.columns
        .map((c) => {
          const ident = `"${c.name}"`;
          if (expectedDatatype(c) === 'string') return `CAST(${ident} AS VARCHAR) AS ${ident}`;
          if (c.type.startsWith('TIMESTAMP')) return `CAST(${ident} AS TIMESTAMP) AS ${ident}`;
          return ident;
        })
        .join(', ');
      const diff = await rows(
        `(SELECT ${select} FROM ${gold} EXCEPT ALL SELECT ${select} FROM ${back})
         UNION ALL (SELECT ${select} FROM ${back} EXCEPT ALL SELECT ${select} FROM ${gold})`,
      );
      expect(diff, table.name).toEqual([]);
      const count = await rows(`SELECT count(*)::INTEGER AS n FROM ${back}`);
      expect(count[0]?.n, table.name).toBe(table.rows);
    }
    const text = await readFile(join(outDir, 'session_stats.csv'), 'utf8');
    const [header, first] = text.split('\r\n');
    // Text and numeric columns are quoted (the formula-injection guard quotes what it guards).
    expect(header?.replace(/"/g, '')).toBe(
      tables
        .find((t) => t.name === 'session_stats')
        ?.columns.map((c) => c.name)
        .join(','),
    );
    expect(first).toMatch(/,2019-10-01,2019-10-01T\d\d:\d\d:\d\d,2019-10-01T\d\d:\d\d:\d\d,/);
  });

  it('writes Parquet with the same rows and types', async () => {
    for (const table of tables) {
      const gold = `read_parquet(${quoteLiteral(join(lake, 'gold', table.name, '**', '*.parquet'))})`;
      const back = `read_parquet(${quoteLiteral(join(outDir, `${table.name}.parquet`))})`;
      expect(
        await rows(`(FROM ${gold} EXCEPT ALL FROM ${back}) UNION ALL (FROM ${back} EXCEPT ALL FROM ${gold})`),
      ).toEqual([]);
      const described = await db.runAndReadAll(`SELECT * FROM ${back} LIMIT 0`);
      expect(
        described.columnNames().map((n, i) => ({ name: n, type: String(described.columnType(i)) })),
      ).toEqual(table.columns);
    }
  });

  it('writes a well-formed .tds per table whose columns and types match the table', async () => {
    for (const table of tables) {
      const tds = await parseTds(await readFile(join(outDir, `${table.name}.tds`), 'utf8'));
      expect(tds).toMatchObject({
        root: 'datasource',
        federated: 'federated',
        textscan: 'textscan',
        directory: outDir,
        filename: `${table.name}.csv`,
      });
      expect(tds.relationConnection).toBe(tds.namedConnection);
      expect(tds.relation).toEqual(table.columns.map((c, i) => [c.name, expectedDatatype(c), i]));
      expect(tds.records).toEqual(table.columns.map((c) => c.name));
      expect(tds.columns.map((c) => [c.name, c.datatype])).toEqual(
        table.columns.map((c) => [`[${c.name}]`, expectedDatatype(c)]),
      );
      for (const column of tds.columns) {
        if (column.role === 'measure') {
          expect(column.type, column.name).toBe('quantitative');
          expect(['integer', 'real']).toContain(column.datatype);
          expect(['Sum', 'Avg']).toContain(column.aggregation);
        } else {
          expect(column.role, column.name).toBe('dimension');
          expect(['nominal', 'ordinal']).toContain(column.type);
        }
        // Ids are text, so Tableau never sums them.
        if (/_id\]$/.test(column.name))
          expect(column).toMatchObject({ datatype: 'string', role: 'dimension' });
      }
    }
    const funnel = await parseTds(await readFile(join(outDir, 'funnel_daily.tds'), 'utf8'));
    const byName = new Map(funnel.columns.map((c) => [c.name, c]));
    expect(byName.get('[event_date]')).toMatchObject({
      datatype: 'date',
      role: 'dimension',
      type: 'ordinal',
    });
    expect(byName.get('[views]')).toMatchObject({ datatype: 'integer', role: 'measure', aggregation: 'Sum' });
    expect(byName.get('[revenue]')).toMatchObject({ datatype: 'real', role: 'measure', aggregation: 'Sum' });
    expect(byName.get('[view_to_cart]')).toMatchObject({
      datatype: 'real',
      role: 'measure',
      aggregation: 'Avg',
      'default-format': 'p0.00%',
    });
    const heatmap = await parseTds(await readFile(join(outDir, 'hourly_heatmap.tds'), 'utf8'));
    expect(heatmap.columns.find((c) => c.name === '[hour]')).toMatchObject({
      role: 'dimension',
      type: 'ordinal',
    });
  });

  it('packages each .tds with its CSV in a valid .tdsx', async () => {
    for (const table of tables) {
      const zip = unzipSync(new Uint8Array(await readFile(join(outDir, `${table.name}.tdsx`))));
      const csvEntry = `Data/${table.name}/${table.name}.csv`;
      expect(Object.keys(zip).sort()).toEqual([csvEntry, `${table.name}.tds`].sort());
      expect(Buffer.from(zip[csvEntry] ?? [])).toEqual(await readFile(join(outDir, `${table.name}.csv`)));
      const tds = await parseTds(new TextDecoder().decode(zip[`${table.name}.tds`]));
      expect(tds).toMatchObject({ directory: `Data/${table.name}`, filename: `${table.name}.csv` });
      expect(tds.relation.map(([name]) => name)).toEqual(table.columns.map((c) => c.name));
    }
  });

  it('writes Excel workbooks with a header row, typed cells and every row', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(outDir, 'funnel_daily.xlsx'));
    const sheet = workbook.getWorksheet('funnel_daily');
    const table = tables.find((t) => t.name === 'funnel_daily');
    expect(sheet?.rowCount).toBe((table?.rows ?? 0) + 1);
    expect((sheet?.getRow(1).values as unknown[]).slice(1)).toEqual(table?.columns.map((c) => c.name));
    expect(sheet?.getCell('A2').value).toEqual(new Date('2019-10-01T00:00:00Z'));
    expect(typeof sheet?.getCell('B2').value).toBe('number');
  });
});

describe('export safety', () => {
  const request = (outDir: string, extra: object = {}) => ({
    tables: ['funnel_daily', 'brand_daily'],
    formats: ['csv', 'tableau'],
    outDir,
    ...extra,
  });

  it('never overwrites without consent, and replaces the files with force', async () => {
    const outDir = join(ctx.dir, 'again');
    await mkdir(outDir);
    await writeFile(join(outDir, 'brand_daily.tds'), 'mine');
    const error = await failure('export.run', request(outDir));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe(
      `brand_daily.tds already exists in ${outDir}; choose another folder or allow overwriting.`,
    );
    expect(await readdir(outDir)).toEqual(['brand_daily.tds']);
    expect(await readFile(join(outDir, 'brand_daily.tds'), 'utf8')).toBe('mine');

    const done = await call<{ files: File[] }>('export.run', request(outDir, { force: true }));
    expect(done.files).toHaveLength(6);
    expect(await readFile(join(outDir, 'brand_daily.tds'), 'utf8')).toContain('<datasource');
  });

  it('fails clearly in a read-only folder and leaves nothing behind', async () => {
    // Root ignores permission bits, so as root the test uses /sys, a folder the kernel refuses writes to;
    // the Workbench refuses system folders before any export starts, so the export itself is called.
    const root = process.getuid?.() === 0;
    let readOnly = join(ctx.dir, 'read only');
    if (root) readOnly = '/sys';
    else {
      await mkdir(readOnly);
      await chmod(readOnly, 0o555);
    }
    const attempt = async (outDir: string) => {
      if (!root) return failure('export.run', request(outDir));
      const error = await exportGold(lake, {
        ...request(outDir),
        formats: ['csv', 'tableau'],
        force: false,
      }).catch((e: unknown) => e);
      return error instanceof ApiError
        ? { code: error.code, message: error.message }
        : { code: 'OK', message: '' };
    };
    const before = await readdir(readOnly);
    const error = await attempt(readOnly);
    expect(error).toEqual({
      code: 'FAILED',
      message: `Cannot write into ${readOnly}: the folder is read-only or not yours.`,
    });
    expect(await readdir(readOnly)).toEqual(before);
    const nested = await attempt(join(readOnly, 'new folder'));
    expect(nested.code).toBe('FAILED');
    expect(await readdir(readOnly)).toEqual(before);
  });

  it('names an unknown table and the ones that exist, creating nothing', async () => {
    const outDir = join(ctx.dir, 'never');
    const error = await failure('export.run', request(outDir, { tables: ['funnel_daily', 'nope'] }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/^No Gold table "nope" in the lake \(Gold tables: .*funnel_daily/);
    await expect(stat(outDir)).rejects.toThrow();
  });

  it('rejects an empty choice with the field at fault', async () => {
    const error = await failure('export.run', { tables: [], formats: ['csv'], outDir: ctx.dir });
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain('tables: choose at least one table or saved result');
  });

  it('exports a saved SQL result (Parquet) like a Gold table, and names a missing one', async () => {
    const saved = join(ctx.dir, 'top brands.parquet');
    await db.run(
      `COPY (SELECT brand, sum(revenue) AS revenue FROM read_parquet(${quoteLiteral(join(lake, 'gold', 'brand_daily', '**', '*.parquet'))}) GROUP BY brand) TO ${quoteLiteral(saved)} (FORMAT parquet)`,
    );
    const outDir = join(ctx.dir, 'saved result');
    const result = await call<{ files: File[] }>('export.run', {
      results: [saved],
      formats: ['csv', 'tableau'],
      outDir,
    });
    expect(result.files.map((f) => `${f.table}:${f.format}`).sort()).toEqual([
      'top_brands:csv',
      'top_brands:tds',
      'top_brands:tdsx',
    ]);
    const [count] = await rows(
      `SELECT count(*) AS n FROM read_csv(${quoteLiteral(join(outDir, 'top_brands.csv'))})`,
    );
    const [expected] = await rows(`SELECT count(*) AS n FROM read_parquet(${quoteLiteral(saved)})`);
    expect(count).toEqual(expected);
    const missing = await failure('export.run', {
      results: [join(ctx.dir, 'nope.parquet')],
      formats: ['csv'],
      outDir,
    });
    expect(missing).toEqual({
      code: 'NOT_FOUND',
      message: `The saved result ${join(ctx.dir, 'nope.parquet')} does not exist.`,
    });
  });

  it('cancels: a cancelled export leaves no file and no folder', async () => {
    const outDir = join(ctx.dir, 'cancelled');
    const steps: string[] = [];
    const stop = ctx.workbench.subscribe((name, payload) => {
      if (name !== 'export.progress') return;
      const p = payload as { exportId: string; step: string; done: number };
      steps.push(p.step);
      if (p.done === 1) void dispatch(ctx.workbench, 'export.cancel', { exportId: p.exportId });
    });
    try {
      const error = await failure(
        'export.run',
        request(outDir, { exportId: 'e1', formats: ['csv', 'parquet', 'xlsx', 'tableau'] }),
      );
      expect(error).toEqual({ code: 'CANCELLED', message: 'The export was cancelled; no file was written.' });
    } finally {
      stop();
    }
    expect(steps.slice(0, 2)).toEqual(['funnel_daily.csv', 'funnel_daily.parquet']);
    await expect(stat(outDir)).rejects.toThrow();
  });
});
