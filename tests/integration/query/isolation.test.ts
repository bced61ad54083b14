import { tableFromIPC } from 'apache-arrow';
import { mkdir, rm } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../pipeline/contract';
import { USER_QUERY_SLOTS } from '../../../pipeline/query/service';
import { dispatch } from '../../../pipeline/workbench';
import { buildQueryLake, SAMPLE_CSV } from '../../helpers/query-lake';
import { testWorkbench } from '../../helpers/workbench';

/** The runaway of the issue: a trillion rows to count (hours of CPU). */
const RUNAWAY = 'SELECT count(*) FROM range(1000000000000)';

let ctx: Awaited<ReturnType<typeof testWorkbench>>;

async function ok<T>(name: string, payload: unknown): Promise<T> {
  const answer = await dispatch(ctx.workbench, name, payload);
  if (!answer.ok) throw new Error(`${name}: ${answer.error.message}`);
  return answer.value as T;
}

/** A call whose settling can be checked at any moment. */
function track(name: string, payload: unknown) {
  const state = { settled: false, answer: undefined as Envelope | undefined };
  const done = dispatch(ctx.workbench, name, payload).then((answer) => {
    state.settled = true;
    state.answer = answer;
    return answer;
  });
  return { state, done };
}

beforeEach(async () => {
  ctx = await testWorkbench();
  await buildQueryLake(join(ctx.dir, 'lake'));
});
afterEach(async () => {
  // Closing interrupts whatever a failed test left running.
  await ctx?.dispose();
});

describe('users’ SQL isolated from the app', () => {
  it('answers lake.catalog and files.list while four runaways run or wait; cancel stops them all', async () => {
    await ok('lake.catalog', {}); // warm: the first catalog opens the app's own DuckDB
    const ids = ['q9001', 'q9002', 'q9003', 'q9004'];
    const runaways = ids.map((queryId) => track('query.run', { sql: RUNAWAY, queryId }));
    expect(USER_QUERY_SLOTS).toBeLessThan(4);

    const catalog = await ok<{ tables: { name: string }[] }>('lake.catalog', {});
    expect(catalog.tables.map((t) => t.name)).toContain('silver.events');
    const listing = await ok<{ entries: { name: string }[] }>('files.list', { path: ctx.dir });
    expect(listing.entries.map((e) => e.name)).toContain('lake');
    const small = track('query.run', { sql: 'SELECT 1', queryId: 'q9005' });
    // The catalog and the listing came back while every runaway was still running or queued.
    expect(runaways.map((r) => r.state.settled)).toEqual([false, false, false, false]);

    for (const queryId of ids) expect(await ok('query.cancel', { queryId })).toEqual({ cancelled: true });
    for (const r of runaways) {
      expect(await r.done).toEqual({
        ok: false,
        error: { code: 'CANCELLED', message: 'The query was cancelled.' },
      });
    }
    // The small query waited behind the runaways (two slots) and ran once they were cancelled.
    expect(await small.done).toMatchObject({ ok: true, value: { totalRows: 1 } });
    expect(await ok<{ totalRows: number }>('query.run', { sql: 'SELECT 42' })).toMatchObject({
      totalRows: 1,
    });
  });

  it('streams a replay into Bronze while four runaways run or wait', async () => {
    // A lake of its own, empty: the stream builds it (the query lake above is a fixture, not a stream's).
    const own = await testWorkbench();
    const call = async (name: string, payload: unknown) => {
      const answer = await dispatch(own.workbench, name, payload);
      if (!answer.ok) throw new Error(`${name}: ${answer.error.message}`);
      return answer.value;
    };
    const ids = ['q8001', 'q8002', 'q8003', 'q8004'];
    const runaways: { state: { settled: boolean }; done: Promise<Envelope> }[] = [];
    try {
      await call('broker.start', { port: 0 });
      await call('stream.start', { topic: 'isolated' });
      // The runaways start once the stream runs: what the issue saw stall was the stream during a replay.
      for (const queryId of ids) {
        const state = { settled: false };
        const done = dispatch(own.workbench, 'query.run', { sql: RUNAWAY, queryId }).then((a) => {
          state.settled = true;
          return a;
        });
        runaways.push({ state, done });
      }
      const done = new Promise<{ state: string; rowsSent: number }>((resolve) => {
        own.workbench.subscribe((name, payload) => {
          const p = payload as { state: string; rowsSent: number };
          if (name === 'replay.progress' && ['completed', 'failed', 'stopped'].includes(p.state)) resolve(p);
        });
      });
      await call('replay.start', { path: SAMPLE_CSV, topic: 'isolated', limit: 200, resume: false });
      expect(await done).toMatchObject({ state: 'completed', rowsSent: 200 });
      // The issue saw Bronze stuck short of the topic's end behind the runaways: here it gets every row.
      expect((await own.workbench.stream.caughtUp()).bronze.rows).toBe(200);
      expect(runaways.map((r) => r.state.settled)).toEqual([false, false, false, false]);
    } finally {
      for (const queryId of ids.slice(0, runaways.length))
        await dispatch(own.workbench, 'query.cancel', { queryId });
      await Promise.all(runaways.map((r) => r.done));
      await own.dispose();
    }
  }, 120_000);

  it('refuses a second query with an id that is in use', async () => {
    const first = track('query.run', { sql: RUNAWAY, queryId: 'q77' });
    const again = await dispatch(ctx.workbench, 'query.run', { sql: 'SELECT 1', queryId: 'q77' });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await ok('query.cancel', { queryId: 'q77' });
    expect(await first.done).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });

  it('runs users’ SQL in UTC with a memory, thread and spill budget, outside the allowed folders', async () => {
    const opened = await ok<{ queryId: string }>('query.run', {
      sql: `SELECT current_setting('TimeZone') AS tz, current_setting('memory_limit') AS memory,
              current_setting('threads') AS threads, current_setting('max_temp_directory_size') AS spill,
              current_setting('temp_directory') AS temp, current_setting('lock_configuration') AS locked`,
    });
    const page = await ok<{ page: Uint8Array }>('query.page', {
      queryId: opened.queryId,
      offset: 0,
      limit: 1,
    });
    const row = tableFromIPC(page.page).get(0)?.toJSON() as Record<string, unknown>;
    expect(row.tz).toMatch(/^(Etc\/)?UTC$/);
    expect(row.locked).toBe(true);
    expect(Number(row.threads)).toBeGreaterThanOrEqual(1);
    const gib = (text: unknown) => {
      const [, n, unit] = /^([\d.]+) (\w+)$/.exec(String(text)) ?? [];
      return Number(n) * ({ GiB: 1, MiB: 1 / 1024, KiB: 1 / 1024 ** 2 }[unit ?? ''] ?? NaN);
    };
    const expectedGib = Math.min(totalmem() / 4, 4 * 1024 ** 3) / 1024 ** 3;
    expect(gib(row.memory)).toBeCloseTo(expectedGib, 1);
    expect(gib(row.spill)).toBeCloseTo(8, 1);
    expect(String(row.temp)).toMatch(/clickpulse-sql-spill-/);
    expect(String(row.temp).startsWith(join(ctx.dir, 'lake'))).toBe(false);
    // DuckDB's default spill folder (<cwd>/.tmp) is not readable through SQL.
    const cwdTmp = join(process.cwd(), '.tmp');
    const created = await mkdir(cwdTmp, { recursive: true });
    try {
      const read = await dispatch(ctx.workbench, 'query.run', {
        sql: `SELECT * FROM glob('${cwdTmp}/*')`,
      });
      expect(read).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    } finally {
      if (created) await rm(created, { recursive: true, force: true });
    }
  });

  it('stops a query that runs past the timeout set in Settings', async () => {
    await ok('settings.update', { queryTimeoutSeconds: 1 });
    const answer = await dispatch(ctx.workbench, 'query.run', { sql: RUNAWAY });
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'FAILED',
        message: 'The query ran longer than 1 s (the query timeout in Settings) and was stopped.',
      },
    });
  });

  it('interrupts running and queued queries on shutdown', async () => {
    const runaways = ['q501', 'q502', 'q503'].map((queryId) => track('query.run', { sql: RUNAWAY, queryId }));
    await ok('lake.catalog', {});
    await ctx.workbench.close();
    for (const r of runaways) {
      expect(await r.done).toMatchObject({
        ok: false,
        error: { code: 'CANCELLED', message: 'The query was stopped: the workbench is shutting down.' },
      });
    }
  });
});
