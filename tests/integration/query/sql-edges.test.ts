import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statementText } from '../../../pipeline/query/statement-text';
import { dispatch } from '../../../pipeline/workbench';
import { buildQueryLake } from '../../helpers/query-lake';
import { testWorkbench } from '../../helpers/workbench';

let ctx: Awaited<ReturnType<typeof testWorkbench>>;
let lake: string;

/** Every path below the lake, so a test can show that a refused statement created nothing. */
async function lakeTree(): Promise<string[]> {
  const entries = await readdir(lake, { recursive: true });
  return entries.map(String).sort();
}

beforeAll(async () => {
  ctx = await testWorkbench();
  lake = join(ctx.dir, 'lake');
  await buildQueryLake(lake);
});
afterAll(() => ctx?.dispose());

describe('SQL console edges', () => {
  it.each([
    ['SELECT 1 -- x', 1],
    ['SELECT 1 --', 1],
    ['SELECT 1; -- the end', 1],
    ['SELECT 1 /* why */ ;;', 1],
    ["SELECT '-- not a comment;' AS t -- a comment", 1],
    ['-- first a comment\nSELECT 2 AS two\n-- and one after', 1],
  ])('runs %j', async (sql, rows) => {
    const answer = await dispatch(ctx.workbench, 'query.run', { sql });
    expect(answer).toMatchObject({ ok: true, value: { totalRows: rows } });
  });

  it.each([
    ["EXPORT DATABASE '{lake}/gold/x'", 'EXPORT'],
    ["EXPORT DATABASE '{lake}/gold/x' (FORMAT parquet)", 'EXPORT'],
    ["COPY (SELECT 1) TO '{lake}/gold/y.csv'", 'COPY'],
    ["COPY (SELECT 1 AS a) TO '{lake}/gold/z' (FORMAT parquet, PARTITION_BY (a))", 'COPY'],
    ["/* hidden */ COPY silver.events TO '{lake}/gold/w.csv'", 'COPY'],
    ['PRAGMA database_list', 'PRAGMA'],
    ["PRAGMA table_info('silver.events')", 'PRAGMA'],
    ['PRAGMA nonsense', 'PRAGMA'],
    ['PRAGMA threads=1', 'PRAGMA'],
  ])('refuses %s naming it, creating nothing', async (template, name) => {
    const before = await lakeTree();
    const sql = template.replace('{lake}', lake);
    const answer = await dispatch(ctx.workbench, 'query.run', { sql });
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: `Read-only: ${name} statements are refused. The lake can be queried with SELECT only.`,
      },
    });
    expect(await lakeTree()).toEqual(before);
  });

  it.each(['SELECT 1 /* never closed', 'SELEC 1', 'SELECT * FROM nope', 'SELECT 1 +'])(
    'shows %j’s error without internal wrappers',
    async (sql) => {
      const answer = await dispatch(ctx.workbench, 'query.run', { sql });
      expect(answer.ok).toBe(false);
      if (answer.ok) return;
      expect(answer.error.message).not.toMatch(/Failed to|extract statements|AS source|LIMIT 0|count\(\*\)/);
      expect(answer.error.message).toMatch(/^(Parser|Catalog) Error: /);
    },
  );
});

describe('statementText', () => {
  it('finds the body and first keyword outside strings and comments', () => {
    expect(statementText('  /* a */ ( SELECT 1 ) ; -- b')).toEqual({
      body: '( SELECT 1 )',
      keyword: 'SELECT',
    });
    expect(statementText("SELECT 'a;--b' ;")).toEqual({ body: "SELECT 'a;--b'", keyword: 'SELECT' });
    expect(statementText('SELECT "x--" -- y')).toEqual({ body: 'SELECT "x--"', keyword: 'SELECT' });
    expect(statementText("SELECT E'it\\'s -- no' ;")).toEqual({
      body: "SELECT E'it\\'s -- no'",
      keyword: 'SELECT',
    });
    expect(statementText('SELECT $$ -- ; $$')).toEqual({ body: 'SELECT $$ -- ; $$', keyword: 'SELECT' });
    expect(statementText('/* /* nested */ still */ export database')).toMatchObject({ keyword: 'EXPORT' });
    expect(statementText('-- only a comment\n;')).toEqual({ body: '', keyword: '' });
  });
});
