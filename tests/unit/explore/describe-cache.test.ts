import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe as suite, expect, it } from 'vitest';
import { describe } from '../../../pipeline/explore/lake-reader';
import { quoteLiteral } from '../../../pipeline/query/sql-builder';
import { tempDir } from '../../helpers/temp';

let dir: { path: string; remove: () => Promise<void> };
let duck: DuckDBInstance;
let db: DuckDBConnection;
beforeAll(async () => {
  dir = await tempDir('clickpulse-describe-');
  duck = await DuckDBInstance.create(':memory:');
  db = await duck.connect();
});
afterAll(async () => {
  db.closeSync();
  duck.closeSync();
  await dir.remove();
});

const source = (files: string[]) =>
  `SELECT * FROM read_parquet([${files.map(quoteLiteral).join(', ')}], union_by_name = true)`;

suite('describing a lake source', () => {
  it('answers a source it described from memory, and a source with another file list anew', async () => {
    const a = join(dir.path, 'a.parquet');
    const b = join(dir.path, 'b.parquet');
    await db.run(`COPY (SELECT 1 AS x) TO ${quoteLiteral(a)} (FORMAT parquet)`);
    await db.run(`COPY (SELECT 2 AS x, 'new' AS y) TO ${quoteLiteral(b)} (FORMAT parquet)`);
    const first = await describe(db, source([a]));
    expect(first.map((c) => c.name)).toEqual(['x']);
    first.push({ name: 'changed by a caller', type: 'VARCHAR' });
    // The file is gone: the same source is answered from memory, unchanged by what the caller did with it.
    await db.run(`COPY (SELECT 'a' AS z) TO ${quoteLiteral(a)} (FORMAT parquet)`);
    expect((await describe(db, source([a]))).map((c) => c.name)).toEqual(['x']);
    // A new file in the list (Silver grew, or was compacted) is a new source.
    expect((await describe(db, source([a, b]))).map((c) => c.name)).toEqual(['z', 'x', 'y']);
  });
});
