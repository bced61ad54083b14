import { tableFromIPC } from 'apache-arrow';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type Workbench } from '../../../pipeline/workbench';
import { buildQueryLake } from '../../helpers/query-lake';
import { testWorkbench } from '../../helpers/workbench';

type Ok<T> = { ok: true; value: T };

async function ok<T>(workbench: Workbench, name: string, payload: unknown): Promise<T> {
  const answer = await dispatch(workbench, name, payload);
  if (!answer.ok) throw new Error(`${name} failed: ${answer.error.message}`);
  return (answer as Ok<T>).value;
}

interface Opened {
  queryId: string;
  columns: { name: string; type: string }[];
  totalRows: number;
}
interface Page {
  totalRows: number;
  rows: number;
  page: Uint8Array;
}

describe('lake catalog and read-only query service', () => {
  let ctx: Awaited<ReturnType<typeof testWorkbench>>;
  let lake: string;

  beforeAll(async () => {
    ctx = await testWorkbench();
    lake = join(ctx.dir, 'lake');
    await buildQueryLake(lake);
  });
  afterAll(() => ctx.dispose());

  it('lists every layer with files, rows, sizes, partitions and schemas', async () => {
    const catalog = await ok<{
      tables: {
        name: string;
        rows: number;
        files: number;
        bytes: number;
        partitions: { name: string }[];
        columns: { name: string; type: string }[];
      }[];
    }>(ctx.workbench, 'lake.catalog', {});
    const byName = Object.fromEntries(catalog.tables.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual([
      'bronze.clickpulse_events',
      'gold.funnel_daily',
      'silver.events',
    ]);
    expect(byName['silver.events']).toMatchObject({ rows: 1000, files: 1 });
    expect(byName['silver.events']?.bytes).toBeGreaterThan(1000);
    expect(byName['silver.events']?.partitions).toEqual([
      expect.objectContaining({ name: 'event_date=2019-10-01', rows: 1000 }),
    ]);
    expect(byName['silver.events']?.columns).toContainEqual({ name: 'price', type: 'DECIMAL(18,2)' });
    expect(byName['bronze.clickpulse_events']?.rows).toBe(1000);
  });

  it('answers SQL over the views with exact figures', async () => {
    const opened = await ok<Opened>(ctx.workbench, 'query.run', {
      sql: "SELECT sum(price) AS revenue, count(*) AS n FROM silver.events WHERE event_type = 'purchase';",
    });
    expect(opened.totalRows).toBe(1);
    const page = await ok<Page>(ctx.workbench, 'query.page', {
      queryId: opened.queryId,
      offset: 0,
      limit: 10,
    });
    const row = tableFromIPC(page.page).get(0)?.toJSON();
    expect(row).toMatchObject({ revenue: 2387.84, n: 10n });
    const sums = await ok<Opened>(ctx.workbench, 'query.run', {
      sql: 'SELECT sum(source_row) AS total FROM silver.events',
    });
    expect(sums.columns).toEqual([{ name: 'total', type: 'HUGEINT' }]);
    const sumPage = await ok<Page>(ctx.workbench, 'query.page', {
      queryId: sums.queryId,
      offset: 0,
      limit: 1,
    });
    expect(tableFromIPC(sumPage.page).get(0)?.toJSON()).toEqual({ total: '500500' });
  });

  it('pages a table sorted and filtered on the server, as Arrow with exact ids', async () => {
    const opened = await ok<Opened>(ctx.workbench, 'query.table', { table: 'silver.events' });
    expect(opened.totalRows).toBe(1000);
    const sorted = await ok<Page>(ctx.workbench, 'query.page', {
      queryId: opened.queryId,
      offset: 0,
      limit: 50,
      sort: { column: 'price', direction: 'desc' },
    });
    const table = tableFromIPC(sorted.page);
    expect(table.numRows).toBe(50);
    expect(table.get(0)?.toJSON().price).toBe(1763.21);
    const ids = await ok<Page>(ctx.workbench, 'query.page', {
      queryId: opened.queryId,
      offset: 0,
      limit: 1000,
      filters: [{ column: 'category_id', op: 'eq', value: '2053013555631882655' }],
    });
    const categories = tableFromIPC(ids.page).getChild('category_id')?.toArray() as string[];
    expect(ids.totalRows).toBeGreaterThan(0);
    expect(new Set(categories)).toEqual(new Set(['2053013555631882655']));

    const window = await ok<Page>(ctx.workbench, 'query.page', {
      queryId: opened.queryId,
      offset: 990,
      limit: 50,
      filters: [
        { column: 'price', op: 'gte', value: '100' },
        { column: 'brand', op: 'notnull' },
      ],
    });
    expect(window.rows).toBe(Math.max(0, Math.min(50, window.totalRows - 990)));
    const purchases = await ok<Page>(ctx.workbench, 'query.page', {
      queryId: opened.queryId,
      offset: 0,
      limit: 100,
      filters: [{ column: 'event_type', op: 'eq', value: 'purchase' }],
    });
    expect(purchases.totalRows).toBe(10);
  });

  it('rejects filters on unknown columns and values of the wrong type with clear messages', async () => {
    const opened = await ok<Opened>(ctx.workbench, 'query.table', { table: 'silver.events' });
    const unknown = await dispatch(ctx.workbench, 'query.page', {
      queryId: opened.queryId,
      offset: 0,
      limit: 5,
      filters: [{ column: 'prize', op: 'gt', value: '1' }],
    });
    expect(unknown).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringContaining('Unknown column "prize"') },
    });
    const bad = await dispatch(ctx.workbench, 'query.page', {
      queryId: opened.queryId,
      offset: 0,
      limit: 5,
      filters: [{ column: 'price', op: 'gt', value: 'cheap' }],
    });
    expect(bad).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/Could not convert|cheap/) },
    });
  });

  it('summarizes a column only when asked', async () => {
    const opened = await ok<Opened>(ctx.workbench, 'query.table', { table: 'silver.events' });
    const brand = await ok<{ nulls: number; rows: number; distinct: number }>(
      ctx.workbench,
      'query.summary',
      {
        queryId: opened.queryId,
        column: 'brand',
      },
    );
    expect(brand).toMatchObject({ rows: 1000, nulls: 143 });
    const price = await ok<{ min: string; max: string }>(ctx.workbench, 'query.summary', {
      queryId: opened.queryId,
      column: 'price',
    });
    expect(price.max).toBe('1763.21');
  });

  it('draws a histogram of numbers and times and the top values of text, following the filters', async () => {
    const opened = await ok<Opened>(ctx.workbench, 'query.table', { table: 'silver.events' });
    type Shape = {
      histogram?: { low: number; high: number; count: number }[];
      top?: { value: string | null; count: number }[];
    };
    const price = await ok<Shape>(ctx.workbench, 'query.summary', {
      queryId: opened.queryId,
      column: 'price',
    });
    expect(price.histogram).toHaveLength(20);
    expect(price.histogram?.reduce((sum, bin) => sum + bin.count, 0)).toBe(1000);
    expect(price.histogram?.at(-1)?.high).toBeCloseTo(1763.21, 2);
    const time = await ok<Shape>(ctx.workbench, 'query.summary', {
      queryId: opened.queryId,
      column: 'event_time',
    });
    expect(time.histogram?.[0]?.low).toBe(Date.parse('2019-10-01T00:00:00Z'));
    const purchases = [{ column: 'event_type', op: 'eq', value: 'purchase' }];
    const types = await ok<Shape>(ctx.workbench, 'query.summary', {
      queryId: opened.queryId,
      column: 'event_type',
      filters: purchases,
    });
    expect(types.top).toEqual([{ value: 'purchase', count: 10 }]);
    const all = await ok<Shape>(ctx.workbench, 'query.summary', {
      queryId: opened.queryId,
      column: 'event_type',
    });
    expect(all.top?.reduce((sum, t) => sum + t.count, 0)).toBe(1000);
    const brands = await ok<Shape>(ctx.workbench, 'query.summary', {
      queryId: opened.queryId,
      column: 'brand',
    });
    expect(brands.top).toHaveLength(10);
    expect(brands.top).toContainEqual({ value: null, count: 143 });
  });

  it.each([
    ["COPY (SELECT * FROM silver.events) TO 'x.csv'", /COPY statements are refused|Permission/],
    ["ATTACH 'other.duckdb'", /ATTACH statements are refused|Permission/],
    ["SELECT * FROM read_csv('/etc/passwd')", /Cannot access file "\/etc\/passwd"/],
    ['INSTALL httpfs', /refused|Permission/],
    ["SET memory_limit = '1GB'", /refused|locked/],
    ['CREATE TABLE t AS SELECT 1', /CREATE statements are refused/],
    ['SELECT 1; SELECT 2', /one statement at a time/],
  ])('refuses %s', async (sql, message) => {
    const answer = await dispatch(ctx.workbench, 'query.run', { sql });
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.message).toMatch(message);
  });

  it('shows DuckDB’s own message for bad SQL', async () => {
    const answer = await dispatch(ctx.workbench, 'query.run', { sql: 'SELECT prize FROM silver.events' });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'FAILED', message: expect.stringContaining('prize') },
    });
  });

  it('cancels a running query and keeps answering', async () => {
    // Counting is cheap (md5 is never computed for count(*)); materializing 20M hashes is not.
    const running = dispatch(ctx.workbench, 'query.run', {
      sql: 'SELECT range AS x, md5(range::VARCHAR) AS h FROM range(20000000)',
      queryId: 'q4242',
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(await ok(ctx.workbench, 'query.cancel', { queryId: 'q4242' })).toEqual({ cancelled: true });
    expect(await running).toMatchObject({
      ok: false,
      error: { code: 'CANCELLED', message: 'The query was cancelled.' },
    });
    const after = await ok<Opened>(ctx.workbench, 'query.run', { sql: 'SELECT 42 AS answer' });
    expect(after.totalRows).toBe(1);
  });

  it('runs a query once: counting, paging, sorting and filtering read its materialized result', async () => {
    // random() differs on every run, so any re-run of the user's SQL would show as different values.
    const opened = await ok<Opened>(ctx.workbench, 'query.run', {
      sql: 'SELECT range AS i, random() AS r FROM range(500)',
    });
    const read = async (extra: object) =>
      tableFromIPC(
        (
          await ok<Page>(ctx.workbench, 'query.page', {
            queryId: opened.queryId,
            offset: 0,
            limit: 500,
            ...extra,
          })
        ).page,
      )
        .toArray()
        .map((row: { toJSON(): { i: bigint; r: number } }) => row.toJSON());
    const first = await read({});
    expect(first).toHaveLength(500);
    expect(await read({})).toEqual(first);
    const byValue = new Map(first.map((row) => [row.i, row.r]));
    const sorted = await read({ sort: { column: 'r', direction: 'asc' } });
    expect(sorted.map((row) => row.r)).toEqual(first.map((row) => row.r).sort((a, b) => a - b));
    for (const row of sorted) expect(row.r).toBe(byValue.get(row.i));
    const half = await ok<Page>(ctx.workbench, 'query.page', {
      queryId: opened.queryId,
      offset: 0,
      limit: 1,
      filters: [{ column: 'r', op: 'lt', value: '0.5' }],
    });
    expect(half.totalRows).toBe(first.filter((row) => row.r < 0.5).length);
    expect(await ok(ctx.workbench, 'query.close', { queryId: opened.queryId })).toEqual({ closed: true });
    const closed = await dispatch(ctx.workbench, 'query.page', {
      queryId: opened.queryId,
      offset: 0,
      limit: 1,
    });
    expect(closed).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('answers early with the first rows while the rest is written, then counts and sorts all of them (the SQL ran once)', async () => {
    const opened = await ok<Opened & { counting?: boolean }>(ctx.workbench, 'query.run', {
      sql: 'SELECT range AS i, random() AS r FROM range(300000)',
      early: true,
    });
    expect(opened.counting).toBe(true);
    expect(opened.totalRows).toBeGreaterThan(0);
    expect(opened.totalRows).toBeLessThan(300000);
    const firstRows = async () =>
      tableFromIPC(
        (await ok<Page>(ctx.workbench, 'query.page', { queryId: opened.queryId, offset: 0, limit: 100 }))
          .page,
      )
        .toArray()
        .map((row: { toJSON(): { i: bigint; r: number } }) => row.toJSON());
    const early = await firstRows();
    expect(early.map((row) => Number(row.i))).toEqual(Array.from({ length: 100 }, (_, i) => i));
    // A sort needs every row: it waits for them, then reads the same values (no second run).
    const sorted = await ok<Page>(ctx.workbench, 'query.page', {
      queryId: opened.queryId,
      offset: 0,
      limit: 1,
      sort: { column: 'i', direction: 'desc' },
    });
    expect(sorted).toMatchObject({ totalRows: 300000, rows: 1 });
    expect(sorted).not.toHaveProperty('counting');
    expect(tableFromIPC(sorted.page).getChildAt(0)?.get(0)).toBe(299999n);
    expect(await ok(ctx.workbench, 'query.count', { queryId: opened.queryId })).toEqual({
      totalRows: 300000,
    });
    expect(await firstRows()).toEqual(early);
    const last = await ok<Page>(ctx.workbench, 'query.page', {
      queryId: opened.queryId,
      offset: 299990,
      limit: 100,
    });
    expect(last).toMatchObject({ totalRows: 300000, rows: 10 });
    expect(await ok(ctx.workbench, 'query.close', { queryId: opened.queryId })).toEqual({ closed: true });
  });

  it('stops writing a result when it is cancelled or closed, and drops its rows', async () => {
    const resultTables = async (...ids: string[]) => {
      const names = ids.map((id) => `'result_${id}'`).join(', ');
      const probe = await ok<Opened>(ctx.workbench, 'query.run', {
        sql: `SELECT count(*) AS n FROM duckdb_tables() WHERE schema_name = 'clickpulse_results' AND table_name IN (${names})`,
        queryId: 'q990001',
      });
      const page = await ok<Page>(ctx.workbench, 'query.page', { queryId: 'q990001', offset: 0, limit: 1 });
      await ok(ctx.workbench, 'query.close', { queryId: probe.queryId });
      return Number(tableFromIPC(page.page).getChildAt(0)?.get(0));
    };
    // md5 of 100M rows: minutes to write in full, so it is still being written when cancelled or closed.
    const slow = 'SELECT range AS x, md5(range::VARCHAR) AS h FROM range(100000000)';
    const cancelled = await ok<Opened & { counting?: boolean }>(ctx.workbench, 'query.run', {
      sql: slow,
      early: true,
    });
    expect(cancelled.counting).toBe(true);
    const counting = dispatch(ctx.workbench, 'query.count', { queryId: cancelled.queryId });
    expect(await ok(ctx.workbench, 'query.cancel', { queryId: cancelled.queryId })).toEqual({
      cancelled: true,
    });
    expect(await counting).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(
      await dispatch(ctx.workbench, 'query.page', { queryId: cancelled.queryId, offset: 0, limit: 1 }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const closed = await ok<Opened>(ctx.workbench, 'query.run', { sql: slow, early: true });
    expect(await resultTables(closed.queryId)).toBe(1);
    const waiting = dispatch(ctx.workbench, 'query.page', {
      queryId: closed.queryId,
      offset: 0,
      limit: 1,
      sort: { column: 'x', direction: 'desc' },
    });
    expect(await ok(ctx.workbench, 'query.close', { queryId: closed.queryId })).toEqual({ closed: true });
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    await expect
      .poll(() => resultTables(cancelled.queryId, closed.queryId), { timeout: 10_000, interval: 50 })
      .toBe(0);
  });

  it('drops a page of an older sort once a page of a newer one is asked for', async () => {
    const opened = await ok<Opened>(ctx.workbench, 'query.run', { sql: 'SELECT range AS i FROM range(10)' });
    // Both slots of the gate busy: the pages below wait in line.
    const busy = ['q990101', 'q990102'].map((queryId) => ({
      queryId,
      answer: dispatch(ctx.workbench, 'query.run', {
        sql: 'SELECT count(*) FROM range(100000000000)',
        queryId,
      }),
    }));
    const page = (direction: 'asc' | 'desc') =>
      dispatch(ctx.workbench, 'query.page', {
        queryId: opened.queryId,
        offset: 0,
        limit: 1,
        sort: { column: 'i', direction },
      });
    const older = page('asc');
    const newer = page('desc');
    expect(await older).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    for (const { queryId } of busy) await ok(ctx.workbench, 'query.cancel', { queryId });
    for (const { answer } of busy)
      expect(await answer).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    const answer = await newer;
    expect(answer.ok).toBe(true);
    expect(
      tableFromIPC((answer as Ok<Page>).value.page)
        .getChildAt(0)
        ?.get(0),
    ).toBe(9n);
  });

  it('sorts a lake table through its row identities and gets the same pages as one read', async () => {
    const opened = await ok<Opened>(ctx.workbench, 'query.table', { table: 'silver.events' });
    const sql = await ok<Opened>(ctx.workbench, 'query.run', { sql: 'SELECT * FROM silver.events' });
    // source_row is unique: one order, so whole pages compare (a sort with ties may order them either way).
    for (const sort of [
      { column: 'source_row', direction: 'desc' },
      { column: 'source_row', direction: 'asc' },
    ]) {
      for (const offset of [0, 3, 995]) {
        const read = async (queryId: string) =>
          tableFromIPC(
            (await ok<Page>(ctx.workbench, 'query.page', { queryId, offset, limit: 5, sort })).page,
          )
            .toArray()
            .map((row: { toJSON(): Record<string, unknown> }) =>
              JSON.stringify(row.toJSON(), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
            );
        const lake = await read(opened.queryId);
        expect(lake).toHaveLength(5);
        expect(lake).toEqual(await read(sql.queryId));
      }
    }
  });

  it('pages a sort with ties as slices of one order: every row on exactly one page', async () => {
    // event_type has four values in 1,000 rows and topic one: nearly every row ties with hundreds of others,
    // on the lake's files (late-materialized pages), Bronze's view and a SQL result's table.
    const sources = [
      { open: ['query.table', { table: 'silver.events' }], sort: 'event_type', id: 'source_row' },
      { open: ['query.run', { sql: 'SELECT * FROM silver.events' }], sort: 'event_type', id: 'source_row' },
      { open: ['query.table', { table: 'bronze.clickpulse_events' }], sort: 'topic', id: 'offset' },
    ] as const;
    for (const source of sources) {
      const opened = await ok<Opened>(ctx.workbench, source.open[0], source.open[1]);
      for (const direction of ['asc', 'desc'] as const) {
        const values: string[] = [];
        const ids: string[] = [];
        // 64 does not divide 1,000, and pages cross the middle, where reads turn to the other end.
        for (let offset = 0; offset < 1000; offset += 64) {
          const page = tableFromIPC(
            (
              await ok<Page>(ctx.workbench, 'query.page', {
                queryId: opened.queryId,
                offset,
                limit: 64,
                sort: { column: source.sort, direction },
              })
            ).page,
          );
          for (let r = 0; r < page.numRows; r++) {
            values.push(String(page.getChild(source.sort)?.get(r)));
            ids.push(String(page.getChild(source.id)?.get(r)));
          }
        }
        const where = `${source.open[0]} ${JSON.stringify(source.open[1])} ${direction}`;
        expect(ids, where).toHaveLength(1000);
        expect(new Set(ids).size, where).toBe(1000);
        const ordered = [...values].sort();
        expect(values, where).toEqual(direction === 'asc' ? ordered : ordered.reverse());
      }
    }
  });

  it('pages a sort from both ends alike: the second half is read backwards and put back in order', async () => {
    // v: distinct values (37 is coprime to 1000) and every 7th row null, so the whole order is known.
    const opened = await ok<Opened>(ctx.workbench, 'query.run', {
      sql: 'SELECT range AS i, CASE WHEN range % 7 = 0 THEN NULL ELSE (range * 37) % 1000 END AS v FROM range(1000)',
    });
    const values = Array.from({ length: 1000 }, (_, i) => (i % 7 === 0 ? null : (i * 37) % 1000));
    const known = values.filter((v): v is number => v !== null);
    const nulls = values.length - known.length;
    for (const direction of ['asc', 'desc'] as const) {
      for (const filters of [[], [{ column: 'v', op: 'lt', value: '500' }]]) {
        const kept = filters.length ? known.filter((v) => v < 500) : known;
        const sorted = [...kept].sort((a, b) => (direction === 'asc' ? a - b : b - a));
        const expected = [...sorted, ...(filters.length ? [] : Array<null>(nulls).fill(null))];
        const seen: (number | null)[] = [];
        // 130 does not divide the totals: the last page is short, and pages straddle the middle.
        for (let offset = 0; offset < expected.length; offset += 130) {
          const page = await ok<Page>(ctx.workbench, 'query.page', {
            queryId: opened.queryId,
            offset,
            limit: 130,
            sort: { column: 'v', direction },
            filters,
          });
          expect(page.totalRows).toBe(expected.length);
          const column = tableFromIPC(page.page).getChild('v');
          for (let r = 0; r < page.rows; r++)
            seen.push(column?.get(r) === null ? null : Number(column?.get(r)));
        }
        expect(seen).toEqual(expected);
      }
    }
  });

  it('saves a result as CSV or Parquet, never overwriting without consent', async () => {
    const opened = await ok<Opened>(ctx.workbench, 'query.run', {
      sql: "SELECT event_time, brand, price FROM silver.events WHERE event_type = 'purchase' ORDER BY price DESC",
    });
    const out = join(ctx.dir, 'exports with spaces', 'résultat.csv');
    const saved = await ok<{ path: string; bytes: number }>(ctx.workbench, 'query.save', {
      queryId: opened.queryId,
      path: out,
      format: 'csv',
    });
    expect(saved.path).toBe(out);
    const text = await readFile(out, 'utf8');
    expect(text.split('\n')[0]).toBe('event_time,"brand","price"');
    expect(text.trim().split('\n')).toHaveLength(11);
    const again = await dispatch(ctx.workbench, 'query.save', {
      queryId: opened.queryId,
      path: out,
      format: 'csv',
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await ok(ctx.workbench, 'query.save', {
      queryId: opened.queryId,
      path: out,
      format: 'csv',
      overwrite: true,
      filters: [{ column: 'price', op: 'gt', value: '1000000' }],
    });
    expect((await readFile(out, 'utf8')).trim().split('\n')).toHaveLength(1);
    // Only the columns asked for, in their order (the grid's visible ones), under the same sort and filter.
    await ok(ctx.workbench, 'query.save', {
      queryId: opened.queryId,
      path: out,
      format: 'csv',
      overwrite: true,
      sort: { column: 'price', direction: 'asc' },
      filters: [{ column: 'price', op: 'gt', value: '100' }],
      columns: ['price', 'brand'],
    });
    const picked = (await readFile(out, 'utf8')).trim().split('\n');
    expect(picked[0]).toBe('"price","brand"');
    const prices = picked.slice(1).map((line) => Number(line.split(',')[0]?.replace(/"/g, '')));
    expect(prices.length).toBeGreaterThan(1);
    expect(prices.every((p) => p > 100)).toBe(true);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    for (const [columns, message] of [
      [['price', 'prize'], /Unknown column "prize"/],
      [['price', 'price'], /"price" is named twice/],
    ] as const) {
      const refused = await dispatch(ctx.workbench, 'query.save', {
        queryId: opened.queryId,
        path: out,
        format: 'csv',
        overwrite: true,
        columns,
      });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', message: expect.stringMatching(message) },
      });
    }
    const parquet = out.replace(/\.csv$/, '.parquet');
    await ok(ctx.workbench, 'query.save', { queryId: opened.queryId, path: parquet, format: 'parquet' });
    expect((await readFile(parquet)).subarray(0, 4).toString()).toBe('PAR1');
    // A result is saved to a file named for its format.
    const misnamed = await dispatch(ctx.workbench, 'query.save', {
      queryId: opened.queryId,
      path: out,
      format: 'parquet',
      overwrite: true,
    });
    expect(misnamed).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('opens any folder of Parquet as a table, and explains an empty one', async () => {
    const outside = join(ctx.dir, 'elsewhere', 'my data');
    await mkdir(outside, { recursive: true });
    const saved = await ok<Opened>(ctx.workbench, 'query.run', { sql: 'SELECT * FROM gold.funnel_daily' });
    await ok(ctx.workbench, 'query.save', {
      queryId: saved.queryId,
      path: join(outside, 'funnel.parquet'),
      format: 'parquet',
    });
    const table = await ok<{ name: string; rows: number }>(ctx.workbench, 'query.openFolder', {
      path: outside,
    });
    expect(table).toMatchObject({ name: 'files.my_data', rows: 1 });
    const opened = await ok<Opened>(ctx.workbench, 'query.run', {
      sql: 'SELECT views, purchases FROM files.my_data',
    });
    const page = await ok<Page>(ctx.workbench, 'query.page', {
      queryId: opened.queryId,
      offset: 0,
      limit: 1,
    });
    expect(tableFromIPC(page.page).get(0)?.toJSON()).toMatchObject({ views: 987n, purchases: 10n });

    const empty = join(ctx.dir, 'empty');
    await mkdir(empty);
    await writeFile(join(empty, 'notes.txt'), 'no parquet here');
    const answer = await dispatch(ctx.workbench, 'query.openFolder', { path: empty });
    expect(answer).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('holds no .parquet files') },
    });
  });
});

describe('query service under concurrent use', () => {
  it('answers many queries started at once (as a dashboard does)', async () => {
    const ctx = await testWorkbench();
    try {
      await buildQueryLake(join(ctx.dir, 'lake'));
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          dispatch(ctx.workbench, 'query.run', { sql: `SELECT ${i} AS i, count(*) AS n FROM silver.events` }),
        ),
      );
      expect(answers.map((a) => a.ok)).toEqual(Array(8).fill(true));
    } finally {
      await ctx.dispose();
    }
  });
});
