import { runCli } from '../../helpers/run-cli';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildQueryLake } from '../../helpers/query-lake';
import { tempDir } from '../../helpers/temp';

describe('clickpulse query', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let lake: string;
  beforeAll(async () => {
    dir = await tempDir();
    lake = join(dir.path, 'lake');
    await buildQueryLake(lake);
  });
  afterAll(() => dir.remove());

  const sql =
    'SELECT event_type, count(*) AS n, sum(price) AS total FROM silver.events GROUP BY 1 ORDER BY n DESC';

  it('prints an aligned table with the row count on stderr', async () => {
    const { code, out, err } = await runCli(['query', '--lake', lake, sql]);
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual([
      'event_type  n    total',
      '----------  ---  ---------',
      'view        987  290520.99',
      'purchase    10   2387.84',
      'cart        3    707.16',
    ]);
    expect(err).toBe('3 rows');
  });

  it('prints CSV and JSON lines, with ids beyond 2^53 exact', async () => {
    const csv = await runCli([
      'query',
      '--lake',
      lake,
      '--format',
      'csv',
      "SELECT category_id FROM silver.events WHERE category_id = '2053013555631882655' LIMIT 1",
    ]);
    expect(csv.out).toBe('category_id\n2053013555631882655');
    const json = await runCli(['query', '--lake', lake, '--format', 'json', sql]);
    expect(json.out.split('\n')[1]).toBe('{"event_type":"purchase","n":10,"total":2387.84}');
  });

  it('prints dates and timestamps as ISO-8601', async () => {
    const { out } = await runCli([
      'query',
      '--lake',
      lake,
      '--format',
      'csv',
      'SELECT event_date, event_time FROM (SELECT CAST(event_time AS DATE) AS event_date, event_time FROM silver.events ORDER BY event_time LIMIT 1)',
    ]);
    expect(out).toBe('event_date,event_time\n2019-10-01,2019-10-01T00:00:00.000Z');
  });

  it('exits 1 with DuckDB’s message on bad SQL and on writes, 2 on usage errors', async () => {
    const bad = await runCli(['query', '--lake', lake, 'SELECT nope FROM silver.events']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('nope');
    const write = await runCli(['query', '--lake', lake, "COPY (SELECT 1) TO 'x.csv'"]);
    expect(write.code).toBe(1);
    expect(write.err).toMatch(/Read-only|Permission/);
    expect((await runCli(['query', sql])).code).toBe(2);
    expect((await runCli(['query', '--lake', lake, '--format', 'xml', sql])).code).toBe(2);
  });
});
