import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLD_GRAIN_KEYS, type LineageRows, type SearchResult } from '../../../pipeline/contract';
import { GRAINS } from '../../../pipeline/explore/grains';
import { goldTables } from '../../../pipeline/lake/gold/tables';
import { dispatch, type Workbench } from '../../../pipeline/workbench';
import { replayedLake } from '../../helpers/replayed-lake';
import { runCli } from '../../helpers/run-cli';
import { tempDir } from '../../helpers/temp';

let dir: { path: string; remove: () => Promise<void> };
let workbench: Workbench;
let lake: string;
let source: string;
let duck: DuckDBInstance;
let db: DuckDBConnection;

beforeAll(async () => {
  dir = await tempDir();
  lake = join(dir.path, 'lake');
  ({ workbench, source } = await replayedLake({ lake, configDir: join(dir.path, 'config'), rows: 4000 }));
  duck = await DuckDBInstance.create(':memory:');
  db = await duck.connect();
  await db.run(`SET TimeZone = 'UTC';
    CREATE VIEW silver AS SELECT * FROM read_parquet('${join(lake, 'silver/events/**/*.parquet')}', hive_partitioning = true);`);
}, 120_000);
afterAll(async () => {
  db?.closeSync();
  duck?.closeSync();
  await workbench?.close();
  await dir?.remove();
});

const rowsOf = async (sql: string, params: string[] = []) =>
  (await db.runAndReadAll(sql, params))
    .getRowsJS()
    .map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
const scalar = async (sql: string) => Number((await rowsOf(sql))[0]?.[0]);

async function search(query: string, extra: { from?: string; to?: string } = {}): Promise<SearchResult> {
  const answer = await dispatch(workbench, 'explore.search', { query, limit: 10_000, ...extra });
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value as SearchResult;
}

const ids = (r: { columns: { name: string }[]; rows: unknown[][] }) => {
  const i = r.columns.findIndex((c) => c.name === 'event_id');
  return r.rows.map((row) => row[i]);
};
const col = (r: { columns: { name: string }[] }, name: string) => r.columns.findIndex((c) => c.name === name);

describe('Explore search over Silver', () => {
  it('field filters and free text return what an independent DuckDB query returns, newest first', async () => {
    const [[brand]] = (await rowsOf(
      `SELECT brand FROM silver WHERE brand IS NOT NULL GROUP BY brand ORDER BY count(*) DESC LIMIT 1 OFFSET 1`,
    )) as [[string]];
    const cases: [string, string, string[]][] = [
      [`brand:${brand.toUpperCase()}`, `lower(brand) = $1`, [brand.toLowerCase()]],
      ['event_type:cart price>50', `event_type = 'cart' AND price > 50`, []],
      [`-event_type:view price<=20.5`, `event_type <> 'view' AND price <= 20.5`, []],
      [
        brand.slice(1, 4),
        `contains(lower(brand), $1) OR contains(lower(category_code), $1) OR contains(product_id, $1) OR contains(user_id, $1) OR contains(session_id, $1)`,
        [brand.slice(1, 4).toLowerCase()],
      ],
    ];
    for (const [query, where, params] of cases) {
      const expected = (
        await rowsOf(`SELECT event_id FROM silver WHERE ${where} ORDER BY event_time DESC, event_id`, params)
      ).map((r) => r[0]);
      const result = await search(query);
      expect(expected.length, query).toBeGreaterThan(0);
      expect({ query, total: result.total }).toEqual({ query, total: expected.length });
      expect(ids(result)).toEqual(expected);
      expect(result.histogram.buckets.reduce((s, [, n]) => s + n, 0)).toBe(result.total);
    }
  });

  it('a time range bounds the matches and the histogram, whose buckets sum to the count', async () => {
    const [[min, max]] = (await rowsOf(
      `SELECT epoch_ms(min(event_time)), epoch_ms(max(event_time)) FROM silver`,
    )) as [[number, number]];
    const from = new Date(min + (max - min) / 4).toISOString();
    const to = new Date(min + (max - min) / 2).toISOString();
    const expected = await scalar(
      `SELECT count(*) FROM silver WHERE event_time >= '${from}'::TIMESTAMPTZ AND event_time < '${to}'::TIMESTAMPTZ`,
    );
    const result = await search('', { from, to });
    expect(result.total).toBe(expected);
    expect(result.histogram.buckets.reduce((s, [, n]) => s + n, 0)).toBe(expected);
    expect(
      result.histogram.buckets.every(([t]) => t >= Date.parse(from) - result.histogram.bucketSeconds * 1000),
    ).toBe(true);
    const page = await workbench.call('explore.page', { query: '', from, to, offset: 10, limit: 5 });
    expect(page.total).toBe(expected);
    expect(ids(page)).toEqual(ids(result).slice(10, 15));
  });

  it('treats quotes and SQL in user text as text, and says what is wrong with a bad query', async () => {
    const silverRows = await scalar('SELECT count(*) FROM silver');
    for (const query of [
      `brand:"x' OR '1'='1"`,
      `"'); DROP TABLE silver; --"`,
      `user_id:"1 OR 1=1"`,
      `'`,
      `"a \\" b"`,
    ]) {
      const result = await search(query);
      expect({ query, total: result.total }).toEqual({ query, total: 0 });
      expect(result.sql).not.toContain('OR 1=1');
      expect(result.sql).not.toContain('DROP');
    }
    expect((await search(`brand:"x' OR '1'='1"`)).params).toContain(`x' or '1'='1`);
    expect(await scalar('SELECT count(*) FROM silver')).toBe(silverRows);
    const bad = [
      ['colour:red', /unknown field "colour"/],
      ['price>abc', /price takes a number, not "abc"/],
      ['brand>apple', /brand is text/],
      ['brand:"apple', /never closed/],
    ] as const;
    for (const [query, message] of bad) {
      const answer = await dispatch(workbench, 'explore.search', { query });
      expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      if (!answer.ok) expect(answer.error.message).toMatch(message);
    }
    expect(await dispatch(workbench, 'explore.search', { query: '', from: 'yesterday' })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/ISO-8601/) },
    });
  });

  it('saves, lists and deletes named searches', async () => {
    await workbench.call('explore.saveSearch', { name: 'big carts', query: 'event_type:cart price>100' });
    const saved = await workbench.call('explore.saveSearch', {
      name: 'a range',
      query: '',
      from: '2019-10-01T00:00:00Z',
    });
    expect(saved.map((s) => s.name)).toEqual(['a range', 'big carts']);
    expect(await workbench.call('explore.deleteSearch', { name: 'a range' })).toEqual([
      { name: 'big carts', query: 'event_type:cart price>100' },
    ]);
    expect(await workbench.call('explore.searches', {})).toHaveLength(1);
  });
});

async function lineage(table: string, key: Record<string, string>): Promise<LineageRows> {
  const answer = await dispatch(workbench, 'lineage.rows', { table, key, limit: 100_000 });
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value as LineageRows;
}

describe('Lineage: a Gold figure back to Silver rows, Bronze offsets and source lines', () => {
  it('the Silver rows behind sample rows of every Gold table re-aggregate, with its SQL, to the Gold row', async () => {
    for (const table of Object.keys(goldTables)) {
      const grain = GRAINS[table] ?? [];
      const gold = `read_parquet('${join(lake, 'gold', table, '**', '*.parquet')}')`;
      const keys = grain.map((g) => `CAST(${g.key} AS VARCHAR)`).join(', ');
      // Three rows anywhere, and a row whose key is '(none)' (an empty brand or category) where there is one.
      const none = grain.filter((g) => g.type === 'VARCHAR').map((g) => `${g.key} = '(none)'`);
      const picks = await rowsOf(
        `(SELECT ${keys} FROM ${gold} ORDER BY hash(${keys}) LIMIT 3)` +
          (none.length ? ` UNION ALL (SELECT ${keys} FROM ${gold} WHERE ${none.join(' OR ')} LIMIT 1)` : ''),
      );
      expect(picks.length, table).toBeGreaterThan(0);
      for (const pick of picks) {
        const key = Object.fromEntries(grain.map((g, i) => [g.key, String(pick[i])]));
        const drilled = await lineage(table, key);
        expect(drilled.total, `${table} ${JSON.stringify(key)}`).toBeGreaterThan(0);
        expect(drilled.rows).toHaveLength(drilled.total);
        expect(drilled.gold).not.toBeNull();
        await db.run(`CREATE OR REPLACE TEMP TABLE drilled(event_id VARCHAR)`);
        const appender = await db.createAppender('drilled');
        for (const id of ids(drilled)) {
          appender.appendVarchar(String(id));
          appender.endRow();
        }
        appender.closeSync();
        await db.run(
          `CREATE OR REPLACE TEMP VIEW silver_events AS SELECT * FROM silver WHERE event_id IN (SELECT event_id FROM drilled)`,
        );
        const sql = (goldTables[table] as string).replace(/ORDER BY[^;]*$/s, '');
        const match = grain
          .map((g) => `CAST(${g.key} AS VARCHAR) = ${`'${String(key[g.key]).replace(/'/g, "''")}'`}`)
          .join(' AND ');
        const regold = await rowsOf(`SELECT * FROM (${sql}) WHERE ${match}`);
        const original = await rowsOf(`SELECT * FROM ${gold} WHERE ${match}`);
        expect({ table, key, rows: regold }).toEqual({ table, key, rows: original });
      }
    }
  });

  it('drills funnel_daily, category_daily, product_performance and session_stats figures to the Bronze message and the CSV line', async () => {
    const csv = readFileSync(source, 'utf8').split('\n');
    const header = (csv[0] ?? '').split(',');
    const picks: [string, string][] = [
      ['funnel_daily', 'SELECT CAST(event_date AS VARCHAR) FROM gold LIMIT 1'],
      [
        'category_daily',
        'SELECT CAST(event_date AS VARCHAR), category_l1, category_l2 FROM gold ORDER BY purchases DESC LIMIT 1',
      ],
      ['product_performance', 'SELECT product_id FROM gold ORDER BY purchases DESC, product_id LIMIT 1'],
      ['session_stats', 'SELECT session_id FROM gold ORDER BY events DESC, session_id LIMIT 1'],
    ];
    for (const [table, pickSql] of picks) {
      const grain = GRAINS[table] ?? [];
      await db.run(
        `CREATE OR REPLACE TEMP VIEW gold AS SELECT * FROM read_parquet('${join(lake, 'gold', table, '**', '*.parquet')}')`,
      );
      const [pick] = await rowsOf(pickSql);
      const key = Object.fromEntries(grain.map((g, i) => [g.key, String(pick?.[i])]));
      const drilled = await lineage(table, key);
      const [figure] = await rowsOf(
        `SELECT ${table === 'funnel_daily' || table === 'category_daily' ? 'views + carts + purchases' : table === 'session_stats' ? 'events' : 'views + carts + purchases'} FROM gold WHERE ${grain.map((g) => `CAST(${g.key} AS VARCHAR) = '${String(key[g.key]).replace(/'/g, "''")}'`).join(' AND ')}`,
      );
      const counted = drilled.rows.filter(
        (r) =>
          table === 'session_stats' ||
          ['view', 'cart', 'purchase'].includes(String(r[col(drilled, 'event_type')])),
      ).length;
      expect({ table, counted }).toEqual({ table, counted: figure?.[0] });
      // A purchase where there is one (its price is on the line), else the first row.
      const row =
        drilled.rows.find((r) => r[col(drilled, 'event_type')] === 'purchase') ?? drilled.rows[0] ?? [];
      const at = (n: string) => row[col(drilled, n)];
      const place = {
        topic: String(at('topic')),
        partition: Number(at('partition')),
        offset: Number(at('offset')),
      };
      const record = await workbench.call('lineage.record', place);
      // The topic itself, read through the broker at that offset, holds the same message.
      const onTopic = await workbench.call('broker.messages', { ...place, limit: 1 });
      expect(onTopic.messages[0]?.offset).toBe(place.offset);
      expect(record.bronze?.value).toBe(onTopic.messages[0]?.value);
      const message = JSON.parse(record.bronze?.value ?? '{}') as Record<string, unknown>;
      expect({ table, user: message.user_id, product: message.product_id, type: message.event_type }).toEqual(
        {
          table,
          user: at('user_id'),
          product: at('product_id'),
          type: at('event_type'),
        },
      );
      expect(record.bronze?.headers['clickpulse.row']).toBe(String(at('source_row')));
      expect(record.source).toMatchObject({ sourceId: at('source_id'), path: source, note: null });
      const lineNumber = record.source?.line ?? 0;
      const line = csv[lineNumber - 1] ?? '';
      expect(record.source?.text).toBe(line);
      const fields = Object.fromEntries(header.map((h, i) => [h, line.split(',')[i]]));
      expect({ table, user: fields.user_id, product: fields.product_id, type: fields.event_type }).toEqual({
        table,
        user: at('user_id'),
        product: at('product_id'),
        type: at('event_type'),
      });
      if (at('event_type') === 'purchase') expect(Number(fields.price)).toBe(at('price'));
      expect(Date.parse(String(fields.event_time).replace(' UTC', 'Z'))).toBe(at('event_time'));
    }
  });

  it('says which keys a table needs and refuses tables that are not Gold', async () => {
    expect(
      await dispatch(workbench, 'lineage.rows', {
        table: 'category_daily',
        key: { event_date: '2019-10-01' },
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringMatching(/give category_l1, category_l2/) },
    });
    // A drill over several rows: its keys are any Gold table's grain keys, its values what their casts take.
    const drill = (where: unknown[]) =>
      dispatch(workbench, 'lineage.rows', { table: 'funnel_daily', where, limit: 1 });
    expect(await drill([{ key: 'price', in: ['1'] }])).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: expect.stringMatching(/"price" is not a key to drill by \(keys: .*brand/),
      },
    });
    expect(await drill([{ key: 'hour', in: ['noon'] }])).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: 'hour is a whole number, not "noon".' },
    });
    expect(await drill([{ key: 'brand' }])).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await drill([{ key: 'brand', in: ["x' OR '1'='1"] }])).toMatchObject({
      ok: true,
      value: { total: 0, figures: { events: 0, sessions: null, users: null } },
    });
    // Session figures count distinct sessions and users (the others skip that cost).
    const day = await dispatch(workbench, 'lineage.rows', {
      table: 'session_daily',
      where: [{ key: 'event_date', from: '2019-10-01', to: '2019-10-31' }],
      sessions: { purchased: true },
      limit: 1,
    });
    expect(day).toMatchObject({ ok: true, value: { figures: { sessions: expect.any(Number) } } });
    if (day.ok) {
      const f = (day.value as LineageRows).figures;
      expect(f.sessions).toBeGreaterThan(0);
      expect(f.purchases).toBeGreaterThanOrEqual(f.sessions ?? 0);
    }
    expect(await dispatch(workbench, 'lineage.rows', { table: 'silver.events', key: {} })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(
      await dispatch(workbench, 'lineage.record', { topic: '../../etc', partition: 0, offset: 0 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
  });
});

describe('Journeys', () => {
  it('a user’s events in order with gaps, their Gold sessions and Gold row, from a user, session or event', async () => {
    const [[user, session, event, events]] = (await rowsOf(
      `SELECT user_id, any_value(session_id), any_value(event_id), count(*) FROM silver GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 1`,
    )) as [[string, string, string, number]];
    const expected = (
      await rowsOf(`SELECT event_id FROM silver WHERE user_id = $1 ORDER BY event_time, event_id`, [user])
    ).map((r) => r[0]);
    for (const request of [{ userId: user }, { sessionId: session }, { eventId: event }]) {
      const j = await workbench.call('explore.journey', { ...request, limit: 5000 });
      expect(j.userId).toBe(user);
      expect(j.totalEvents).toBe(events);
      expect(ids(j.events)).toEqual(expected);
      expect(j.user).toMatchObject({ user_id: user, events });
      expect(j.sessions.rows.length).toBe(
        await scalar(`SELECT count(DISTINCT session_id) FROM silver WHERE user_id = '${user}'`),
      );
      const gaps = j.events.rows.map((r) => r[col(j.events, 'gap_s')]);
      expect(gaps[0]).toBeNull();
      expect(gaps.slice(1).every((g) => typeof g === 'number' && g >= 0)).toBe(true);
    }
    expect(await dispatch(workbench, 'explore.journey', { sessionId: 'no-such-session' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});

describe('CLI: clickpulse explore and clickpulse lineage', () => {
  it('explore prints the matching events as JSON and CSV; lineage prints the rows behind a Gold row with their Bronze place and source row', async () => {
    const purchases = await scalar(`SELECT count(*) FROM silver WHERE event_type = 'purchase'`);
    const json = await runCli(['explore', '--lake', lake, 'event_type:purchase', '--format', 'json']);
    expect(json.code).toBe(0);
    const lines = json.out.split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(purchases);
    expect(lines.every((l) => l.event_type === 'purchase' && typeof l.event_time === 'string')).toBe(true);
    expect(json.err).toBe(`${purchases} matching events`);
    const csv = await runCli([
      'explore',
      '--lake',
      lake,
      'event_type:purchase',
      '--format',
      'csv',
      '--limit',
      '3',
    ]);
    expect(csv.out.split('\n')).toHaveLength(4);
    expect(csv.err).toMatch(new RegExp(`^3 of ${purchases} matching events`));
    expect(await runCli(['explore', '--lake', lake, 'colour:red'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/unknown field "colour"/),
    });

    const [[day, views]] = (await rowsOf(
      `SELECT CAST(event_date AS VARCHAR), views FROM read_parquet('${join(lake, 'gold/funnel_daily/**/*.parquet')}') LIMIT 1`,
    )) as [[string, number]];
    const drilled = await runCli([
      'lineage',
      '--lake',
      lake,
      '--table',
      'funnel_daily',
      '--key',
      `event_date=${day}`,
      '--format',
      'csv',
    ]);
    expect(drilled.code).toBe(0);
    const [head, ...rows] = drilled.out.split('\n');
    expect(head?.split(',').slice(0, 5)).toEqual(['topic', 'partition', 'offset', 'source_id', 'source_row']);
    const typeAt = head?.split(',').indexOf('event_type') ?? -1;
    expect(rows.filter((r) => r.split(',')[typeAt] === 'view')).toHaveLength(views);
    expect(rows.every((r) => /^clickpulse_events,\d+,\d+,[^,]+@[0-9a-f]{12},\d+,/.test(r))).toBe(true);
    expect(
      await runCli(['lineage', '--lake', lake, '--table', 'funnel_daily', '--key', 'day']),
    ).toMatchObject({
      code: 2,
      err: expect.stringMatching(/name=value/),
    });
  });
});

describe('CLI: clickpulse lineage --where', () => {
  it('prints the rows behind a figure over several Gold rows: a list of values and a time range', async () => {
    const [[first, last]] = (await rowsOf(
      `SELECT CAST(min(event_time) AS VARCHAR), CAST(max(event_time) AS VARCHAR) FROM silver`,
    )) as [[string, string]];
    const brands = (await rowsOf(
      `SELECT brand FROM silver WHERE brand IS NOT NULL GROUP BY brand ORDER BY count(*) DESC LIMIT 2`,
    )) as [[string], [string]];
    const until = new Date((Date.parse(first) + Date.parse(last)) / 2).toISOString();
    const expected = await scalar(
      `SELECT count(*) FROM silver WHERE brand IN ('${brands[0][0]}', '${brands[1][0]}')
         AND event_type IN ('cart', 'purchase') AND event_time <= TIMESTAMPTZ '${until}'`,
    );
    expect(expected).toBeGreaterThan(0);
    const drilled = await runCli([
      'lineage',
      '--lake',
      lake,
      '--table',
      'brand_daily',
      '--where',
      `brand=${brands[0][0]}|${brands[1][0]}`,
      '--where',
      'event_type=cart|purchase',
      '--where',
      `event_time=..${until}`,
      '--format',
      'json',
    ]);
    expect(drilled.code, drilled.err).toBe(0);
    const rows = drilled.out.split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(expected);
    expect(rows.every((r) => r.event_type === 'cart' || r.event_type === 'purchase')).toBe(true);
    expect(
      await runCli(['lineage', '--lake', lake, '--table', 'brand_daily', '--where', 'brand']),
    ).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--where takes name=value/),
    });
  });
});

describe('the contract’s grain keys', () => {
  it('name the same keys as the lineage grains, for every Gold table', () => {
    expect(Object.fromEntries(Object.entries(GRAINS).map(([t, g]) => [t, g.map((k) => k.key)]))).toEqual(
      GOLD_GRAIN_KEYS,
    );
    expect(Object.keys(GRAINS).sort()).toEqual(Object.keys(goldTables).sort());
  });
});
