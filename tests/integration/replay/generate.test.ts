import { DuckDBInstance } from '@duckdb/node-api';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../../pipeline/replay/generator/generate';
import { gzipFile } from '../../../pipeline/replay/generator/gzip-file';
import { runCli } from '../../helpers/run-cli';
import { tempDir } from '../../helpers/temp';

describe('synthetic REES46-style generator', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => (dir = await tempDir()));
  afterAll(() => dir.remove());

  it('is deterministic: the same arguments give byte-identical files, another seed does not', async () => {
    const a = await generateDataset({ rows: 20_000, seed: 7, out: join(dir.path, 'a.csv') });
    const b = await generateDataset({ rows: 20_000, seed: 7, out: join(dir.path, 'b.csv') });
    const c = await generateDataset({ rows: 20_000, seed: 8, out: join(dir.path, 'c.csv') });
    const [ta, tb, tc] = await Promise.all([a, b, c].map((r) => readFile(r.path)));
    expect(ta?.equals(tb as Buffer)).toBe(true);
    expect(ta?.equals(tc as Buffer)).toBe(false);
    const gz1 = await generateDataset({ rows: 5_000, seed: 7, out: join(dir.path, 'a.csv.gz') });
    const gz2 = await generateDataset({ rows: 5_000, seed: 7, out: join(dir.path, 'b.csv.gz') });
    expect((await readFile(gz1.path)).equals(await readFile(gz2.path))).toBe(true);
    expect((await readFile(gz1.path)).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  it('has the REES46 layout and the published shape, within stated bounds', async () => {
    const { path } = await generateDataset({
      rows: 60_000,
      seed: 3,
      start: '2019-11-01',
      out: join(dir.path, 'shape.csv'),
    });
    const text = await readFile(path, 'utf8');
    const [header, first] = text.split('\n');
    expect(header).toBe(
      'event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session',
    );
    expect(first).toMatch(
      /^2019-11-01 \d\d:\d\d:\d\d UTC,(view|cart|purchase|remove_from_cart),\d+,\d{19},[^,]*,[^,]*,\d+\.\d\d,\d+,[0-9a-f-]{36}$/,
    );

    // in event_time order, checked on the file's own lines (a SQL window over a parallel CSV scan may not
    // see them in file order)
    const times = text
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => line.slice(0, 23));
    expect(times.filter((time, i) => i > 0 && time < (times[i - 1] as string))).toEqual([]);

    const duck = await DuckDBInstance.create(':memory:');
    const db = await duck.connect();
    const [facts] = (
      await db.runAndReadAll(`
      WITH g AS (SELECT * FROM read_csv('${path}', all_varchar = true))
      SELECT count(*) AS n,
             avg((event_type = 'view')::INT) AS views, avg((event_type = 'cart')::INT) AS carts,
             avg((event_type = 'purchase')::INT) AS purchases,
             avg((category_code IS NULL)::INT) AS no_code, avg((brand IS NULL)::INT) AS no_brand,
             count(*) - (SELECT count(*) FROM (SELECT DISTINCT * FROM g)) AS duplicates,
             count(*) / count(DISTINCT user_id) AS per_user, count(*) / count(DISTINCT user_session) AS per_session,
             (SELECT count(*) FROM (SELECT product_id FROM g GROUP BY 1 HAVING count(DISTINCT price) > 1)) AS unstable_prices,
             (SELECT count(*) FROM (SELECT product_id FROM g GROUP BY 1
                                    HAVING count(DISTINCT (category_id, category_code, brand)) > 1)) AS unstable_products,
             -- exact duplicates come as bursts of the same cart click
             (SELECT count(*) FROM (SELECT * FROM g GROUP BY ALL HAVING count(*) > 1) WHERE event_type <> 'cart') AS non_cart_duplicates,
             (SELECT count(*) FROM (SELECT user_session FROM g WHERE event_type = 'purchase' GROUP BY 1 HAVING count(*) > 1)) AS multi_purchase_sessions,
             -- the 10 % most viewed products draw far more than 10 % of the events (power law)
             (SELECT sum(n) FILTER (WHERE rank <= (SELECT count(DISTINCT product_id) FROM g) / 10) / sum(n)
              FROM (SELECT count(*) AS n, row_number() OVER (ORDER BY count(*) DESC, product_id) AS rank FROM g GROUP BY product_id)) AS top_products_share,
             -- the daily curve: the afternoon is busier than the night
             count(*) FILTER (WHERE substr(event_time, 12, 2) BETWEEN '13' AND '16') / count(*) FILTER (WHERE substr(event_time, 12, 2) BETWEEN '01' AND '04') AS afternoon_over_night,
             bool_and(event_time >= '2019-11-01') AS starts_on_day
      FROM g`)
    ).getRowObjectsJS();
    db.closeSync();
    duck.closeSync();
    expect(facts?.n).toBe(60_000n);
    expect(Number(facts?.views)).toBeGreaterThan(0.95);
    expect(Number(facts?.views)).toBeLessThan(0.97);
    expect(Number(facts?.carts)).toBeGreaterThan(0.017);
    expect(Number(facts?.carts)).toBeLessThan(0.027);
    expect(Number(facts?.purchases)).toBeGreaterThan(0.013);
    expect(Number(facts?.purchases)).toBeLessThan(0.022);
    expect(Number(facts?.no_code)).toBeGreaterThan(0.2);
    expect(Number(facts?.no_code)).toBeLessThan(0.4);
    expect(Number(facts?.no_brand)).toBeGreaterThan(0.08);
    expect(Number(facts?.no_brand)).toBeLessThan(0.22);
    expect(Number(facts?.duplicates)).toBeGreaterThan(0);
    expect(Number(facts?.duplicates) / 60_000).toBeLessThan(0.02);
    expect(Number(facts?.per_user)).toBeGreaterThan(8);
    expect(Number(facts?.per_session)).toBeGreaterThan(2);
    expect(Number(facts?.multi_purchase_sessions)).toBeGreaterThan(0);
    expect(Number(facts?.top_products_share)).toBeGreaterThan(0.3);
    expect(Number(facts?.afternoon_over_night)).toBeGreaterThan(2);
    expect(facts).toMatchObject({
      unstable_prices: 0n,
      unstable_products: 0n,
      non_cart_duplicates: 0n,
      starts_on_day: true,
    });
  });

  it('writes exactly the rows asked for, also across its blocks of 12, and gzips the same text', async () => {
    for (const rows of [1, 13, 1_000]) {
      const { path } = await generateDataset({ rows, seed: 2, out: join(dir.path, `n${rows}.csv`) });
      const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
      expect(lines.length).toBe(rows + 1);
    }
    const gz = await generateDataset({ rows: 1_000, seed: 2, out: join(dir.path, 'n1000.csv.gz') });
    expect(gunzipSync(await readFile(gz.path)).equals(await readFile(join(dir.path, 'n1000.csv')))).toBe(
      true,
    );
  });

  it('gzips big files as several members that gzip readers and DuckDB read as one file', async () => {
    const { path: plain } = await generateDataset({
      rows: 1_000,
      seed: 4,
      out: join(dir.path, 'members.csv'),
    });
    const gz = join(dir.path, 'members.csv.gz');
    await gzipFile(plain, gz, 10_000);
    const bytes = await readFile(gz);
    // each member starts with the gzip magic, deflate, no flags and a zero time stamp
    const header = Buffer.from('1f8b080000000000', 'hex');
    let members = 0;
    for (let at = bytes.indexOf(header); at >= 0; at = bytes.indexOf(header, at + 1)) members++;
    expect(members).toBe(Math.ceil((await stat(plain)).size / 10_000));
    expect(gunzipSync(bytes).equals(await readFile(plain))).toBe(true);
    const duck = await DuckDBInstance.create(':memory:');
    const db = await duck.connect();
    const read = (await db.runAndReadAll(`SELECT count(*) FROM read_csv('${gz}')`)).getRowsJS();
    db.closeSync();
    duck.closeSync();
    expect(read).toEqual([[1000n]]);
  });

  it('explains bad arguments and never leaves a partial file', async () => {
    await expect(generateDataset({ rows: 0, out: join(dir.path, 'x.csv') })).rejects.toThrow(
      /rows must be a whole number/,
    );
    await expect(
      generateDataset({ rows: 10, start: '2019-13-45', out: join(dir.path, 'x.csv') }),
    ).rejects.toThrow(/start must be a date/);
    await expect(generateDataset({ rows: 10, out: join(dir.path, 'x.json') })).rejects.toThrow(
      /must end in .csv or .csv.gz/,
    );
    await writeFile(join(dir.path, 'taken.csv'), 'keep me');
    await expect(generateDataset({ rows: 10, out: join(dir.path, 'taken.csv') })).rejects.toThrow(
      /already exists; pass --force/,
    );
    expect(await readFile(join(dir.path, 'taken.csv'), 'utf8')).toBe('keep me');
    await expect(generateDataset({ rows: 10, out: join(dir.path, 'no', 'such', 'dir.csv') })).rejects.toThrow(
      /Could not write/,
    );
    expect((await readdir(dir.path)).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('runs as clickpulse generate', async () => {
    const out = join(dir.path, 'cli.csv.gz');
    const ok = await runCli(['generate', '--rows', '1000', '--seed', '5', '--out', out]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/cli\.csv\.gz: 1000 rows, \d+ bytes in/);
    expect((await runCli(['generate', '--rows', 'lots', '--out', out, '--force'])).err).toContain(
      'rows must be a whole number',
    );
    expect((await runCli(['generate', '--out', out])).code).toBe(2);
  });
});
