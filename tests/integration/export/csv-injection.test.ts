import { DuckDBInstance } from '@duckdb/node-api';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteLiteral } from '../../../pipeline/query/sql-builder';
import { dispatch } from '../../../pipeline/workbench';
import { runCli } from '../../helpers/run-cli';
import { testWorkbench } from '../../helpers/workbench';

/** The formula cells of the issue, each next to a number; one plain row shows what is left alone. */
const CELLS = [
  ['=HYPERLINK("http://evil.example","click")', -2],
  ['+SUM(A1:A9)', 3],
  ['@SUM(1+1)', 0],
  ['-2+3', -7.5],
  ['\tTAB', 1],
  ['\rCR', 1],
  ['plain, text', 4],
];
const LABEL_SQL = CELLS.map(([label, n]) => `(${quoteLiteral(String(label))}, ${n}::DOUBLE)`).join(', ');

/** Expected CSV lines: every guarded cell quoted, formula starts prefixed with '. */
const NEUTRALIZED = [
  '"label","n"',
  `"'=HYPERLINK(""http://evil.example"",""click"")","'-2.0"`,
  `"'+SUM(A1:A9)","3.0"`,
  `"'@SUM(1+1)","0.0"`,
  `"'-2+3","'-7.5"`,
  `"'\tTAB","1.0"`,
  `"'\rCR","1.0"`,
  `"plain, text","4.0"`,
];

let ctx: Awaited<ReturnType<typeof testWorkbench>>;
let result: string;

async function call<T>(name: string, payload: unknown): Promise<T> {
  const answer = await dispatch(ctx.workbench, name, payload);
  if (!answer.ok) throw new Error(`${name}: ${answer.error.message}`);
  return answer.value as T;
}

/** CSV lines as DuckDB wrote them (CRLF or LF) — \r inside a quoted cell stays in its line. */
const lines = (text: string) => text.split(/\r?\n(?=(?:[^"]*"[^"]*")*[^"]*$)/).filter(Boolean);

beforeAll(async () => {
  ctx = await testWorkbench();
  const dir = join(ctx.dir, 'saved');
  await mkdir(dir);
  result = join(dir, 'formulas.parquet');
  const duck = await DuckDBInstance.create(':memory:');
  const db = await duck.connect();
  try {
    await db.run(
      `COPY (SELECT * FROM (VALUES ${LABEL_SQL}) AS t(label, n)) TO ${quoteLiteral(result)} (FORMAT parquet)`,
    );
  } finally {
    db.closeSync();
    duck.closeSync();
  }
});
afterAll(() => ctx?.dispose());

describe('CSV formula injection (OWASP)', () => {
  it('export.run neutralizes cells starting with = + - @ tab CR, numbers included by default', async () => {
    const outDir = join(ctx.dir, 'out-default');
    await call('export.run', { results: [result], formats: ['csv'], outDir });
    expect(lines(await readFile(join(outDir, 'formulas.csv'), 'utf8'))).toEqual(NEUTRALIZED);
  });

  it('csvKeepNumbers leaves numeric columns as numbers; text stays neutralized', async () => {
    const outDir = join(ctx.dir, 'out-numbers');
    await call('export.run', { results: [result], formats: ['csv'], outDir, csvKeepNumbers: true });
    const text = lines(await readFile(join(outDir, 'formulas.csv'), 'utf8'));
    expect(text[0]).toBe('"label",n');
    expect(text[1]).toBe(`"'=HYPERLINK(""http://evil.example"",""click"")",-2.0`);
    expect(text[4]).toBe(`"'-2+3",-7.5`);
  });

  it('clickpulse export --csv-keep-numbers does the same', async () => {
    const outDir = join(ctx.dir, 'out-cli');
    const lake = join(ctx.dir, 'lake');
    await mkdir(lake, { recursive: true });
    const strict = await runCli([
      'export',
      '--lake',
      lake,
      '--out',
      outDir,
      '--results',
      result,
      '--format',
      'csv',
    ]);
    expect(strict.code, strict.err).toBe(0);
    expect(lines(await readFile(join(outDir, 'formulas.csv'), 'utf8'))[1]).toBe(NEUTRALIZED[1]);
    const kept = await runCli([
      'export',
      '--lake',
      lake,
      '--out',
      outDir,
      '--results',
      result,
      '--format',
      'csv',
      '--csv-keep-numbers',
      '--force',
    ]);
    expect(kept.code, kept.err).toBe(0);
    expect(lines(await readFile(join(outDir, 'formulas.csv'), 'utf8'))[1]).toMatch(/,-2\.0$/);
  });

  it("the SQL console's CSV save is guarded the same way, in the result's order", async () => {
    const opened = await call<{ queryId: string }>('query.run', {
      sql: `SELECT * FROM (VALUES ${LABEL_SQL}) AS t(label, n)`,
    });
    const path = join(ctx.dir, 'console.csv');
    await call('query.save', { queryId: opened.queryId, path, format: 'csv' });
    const text = lines(await readFile(path, 'utf8'));
    expect(text.slice(1).sort()).toEqual(NEUTRALIZED.slice(1).sort());
    await call('query.save', {
      queryId: opened.queryId,
      path,
      format: 'csv',
      overwrite: true,
      csvKeepNumbers: true,
      sort: { column: 'n', direction: 'asc' },
    });
    const sorted = lines(await readFile(path, 'utf8'));
    expect(sorted[1]).toBe(`"'-2+3",-7.5`);
    expect(sorted[2]).toBe(`"'=HYPERLINK(""http://evil.example"",""click"")",-2.0`);
  });
});
