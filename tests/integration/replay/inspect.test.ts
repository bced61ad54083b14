import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../pipeline/workbench';
import { SAMPLE_CSV } from '../../helpers/query-lake';
import { testWorkbench } from '../../helpers/workbench';

type Inspection = {
  kind: string;
  format: string;
  columns: { name: string; type: string }[];
  preview: (string | null)[][];
  mapping: Record<string, string>;
  constantEventType: string | null;
  missingRequired: string[];
  message: string | null;
};

describe('replay.inspect: detect, preview and map a dataset', () => {
  let ctx: Awaited<ReturnType<typeof testWorkbench>>;
  let data: string;
  const inspect = async (path: string) => {
    const answer = await dispatch(ctx.workbench, 'replay.inspect', { path });
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.value as Inspection;
  };
  const refused = async (path: string) => {
    const answer = await dispatch(ctx.workbench, 'replay.inspect', { path });
    if (answer.ok) throw new Error(`expected ${path} to be refused`);
    return answer.error.message;
  };

  beforeAll(async () => {
    ctx = await testWorkbench();
    data = join(ctx.dir, 'data');
    await mkdir(data);
  });
  afterAll(() => ctx.dispose());

  it('recognizes the REES46 behaviour file with exact ids and the first 100 rows', async () => {
    const result = await inspect(SAMPLE_CSV);
    expect(result.kind).toBe('rees46-behavior');
    expect(result.format).toBe('csv');
    expect(result.columns.map((c) => c.name)).toEqual([
      'event_time',
      'event_type',
      'product_id',
      'category_id',
      'category_code',
      'brand',
      'price',
      'user_id',
      'user_session',
    ]);
    expect(result.columns.find((c) => c.name === 'price')?.type).toBe('DOUBLE');
    expect(result.preview).toHaveLength(100);
    expect(result.preview[0]).toEqual([
      '2019-10-01 00:00:00 UTC',
      'view',
      '44600062',
      '2103807459595387724',
      null,
      'shiseido',
      '35.79',
      '541312140',
      '72d76fde-8bb3-4e00-8c23-a032dfed738c',
    ]);
    expect(result.mapping).toMatchObject({
      event_time: 'event_time',
      category_id: 'category_id',
      user_session: 'user_session',
    });
    expect(result.missingRequired).toEqual([]);
  });

  it('reads the same file gzipped, as Parquet and as JSON lines', async () => {
    const gz = join(data, 'sample.csv.gz');
    await writeFile(gz, gzipSync(readFileSync(SAMPLE_CSV)));
    expect((await inspect(gz)).preview[0]?.[3]).toBe('2103807459595387724');
    const jsonl = join(data, 'events.jsonl');
    await writeFile(
      jsonl,
      '{"timestamp": 1569888000, "user_id": "u1", "session_id": "s1", "event": "view", "page": "home"}\n' +
        '{"timestamp": 1569888005, "user_id": "u1", "session_id": "s1", "event": "add_to_cart", "page": "p/1"}\n',
    );
    const json = await inspect(jsonl);
    expect(json).toMatchObject({ format: 'json', kind: 'click-log', missingRequired: [] });
    expect(json.mapping).toMatchObject({
      event_time: 'timestamp',
      event_type: 'event',
      user_session: 'session_id',
      category_code: 'page',
    });
  });

  it('recognizes the electronics purchase history, where every row is a purchase', async () => {
    const file = join(data, 'purchases.csv');
    await writeFile(
      file,
      'event_time,order_id,product_id,category_id,category_code,brand,price,user_id\n' +
        '2020-04-24 11:50:39 UTC,2294359932054536986,1515966223509089906,2268105426648170900,electronics.tablet,samsung,162.01,1515915625441993984\n',
    );
    const result = await inspect(file);
    expect(result).toMatchObject({
      kind: 'rees46-purchases',
      constantEventType: 'purchase',
      missingRequired: [],
    });
    expect(result.preview[0]?.[1]).toBe('2294359932054536986');
  });

  it('proposes a mapping for anything else and names the required fields it lacks', async () => {
    const file = join(data, 'other.csv');
    await writeFile(file, 'when;who;what;cost\n2024-01-01T10:00:00Z;42;click;1,5\n');
    const result = await inspect(file);
    expect(result.kind).toBe('custom');
    expect(result.missingRequired).toEqual(['event_time', 'event_type', 'user_id']);
    expect(result.message).toBe('Map a column to event_time, event_type, user_id: they are required.');
    expect(result.columns.map((c) => c.name)).toEqual(['when', 'who', 'what', 'cost']);
  });

  it('gives a specific message for each file-level problem', async () => {
    expect(await refused(join(data, 'nope.csv'))).toMatch(/does not exist/);
    expect(await refused(data)).toMatch(/is a folder/);
    await writeFile(join(data, 'empty.csv'), '');
    expect(await refused(join(data, 'empty.csv'))).toMatch(/is empty/);
    await writeFile(join(data, 'binary.csv'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff]));
    expect(await refused(join(data, 'binary.csv'))).toMatch(/looks binary/);
    await writeFile(join(data, 'notes.docx'), 'x');
    expect(await refused(join(data, 'notes.docx'))).toMatch(/unknown file type/);
    await writeFile(join(data, 'broken.parquet'), 'not parquet at all');
    expect(await refused(join(data, 'broken.parquet'))).toMatch(/cannot be read as PARQUET/);
  });
});
