import duckdb from '@duckdb/node-bindings';
import { DuckDBInstance, type DuckDBBlobVector, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BytesColumn } from '../../../pipeline/replay/run/bytes-column';
import { DoubleColumn } from '../../../pipeline/replay/run/double-column';

let instance: DuckDBInstance;
let db: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  db = await instance.connect();
});
afterAll(() => {
  db.closeSync();
  instance.closeSync();
});

/** Every row of the query's first column through BytesColumn, checked against the library's per-value copy. */
async function compare(sql: string): Promise<{ rows: number; nulls: number; runs: number }> {
  const result = await db.stream(sql);
  let rows = 0;
  let nulls = 0;
  let runs = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const column = new BytesColumn(duckdb.data_chunk_get_vector(chunk.chunk, 0), chunk.rowCount);
    const expected = chunk.getColumnVector(0) as DuckDBBlobVector;
    const seen = new Set<Uint8Array>();
    for (let i = 0; i < chunk.rowCount; i++) {
      const want = expected.getItemBytes(i);
      const buf = column.bufferOf(i);
      expect(column.isNull(i)).toBe(want === null);
      if (want === null || buf === null) {
        expect(buf).toBeNull();
        nulls++;
        continue;
      }
      const got = buf.subarray(column.startOf(i), column.startOf(i) + column.lengthOf(i));
      expect(Buffer.from(got).equals(Buffer.from(want))).toBe(true);
      expect(column.copy(i)?.equals(Buffer.from(want))).toBe(true);
      if (column.lengthOf(i) > 12) seen.add(buf);
    }
    runs += seen.size;
    rows += chunk.rowCount;
  }
  return { rows, nulls, runs };
}

describe('BytesColumn (BLOB values of a result chunk, copied per run)', () => {
  it('reads JSON values like the replay sends exactly, in far fewer native copies than values', async () => {
    const r = await compare(
      `SELECT encode(json_object('event_time', '2019-10-01T00:00:00.000Z', 'n', i, 'brand', 'brand-' || (i % 7), 'user_session', md5(i::VARCHAR))::VARCHAR) FROM range(10000) t(i)`,
    );
    expect(r).toMatchObject({ rows: 10000, nulls: 0 });
    expect(r.runs).toBeLessThan(10000 / 20);
  });

  it('keeps nulls, empty and inline values (≤ 12 bytes), multi-byte UTF-8 and values that share one string', async () => {
    const r = await compare(
      `SELECT CASE i % 6
         WHEN 0 THEN NULL
         WHEN 1 THEN encode('')
         WHEN 2 THEN encode('twelve bytes')
         WHEN 3 THEN encode('thirteen byte')
         WHEN 4 THEN encode('é' || repeat('€', i % 40) || i::VARCHAR)
         ELSE encode('the same long constant value for every such row') END
       FROM range(5000) t(i)`,
    );
    expect(r).toMatchObject({ rows: 5000, nulls: 834 });
  });

  it('reads values whose strings are not in row order (a sorted result) and binary bytes', async () => {
    const r = await compare(
      `SELECT CASE WHEN i % 3 = 0 THEN unhex(md5(i::VARCHAR) || md5((i + 1)::VARCHAR)) ELSE encode(md5(i::VARCHAR) || repeat('x', i % 30)) END AS v
       FROM range(6000) t(i) ORDER BY md5(i::VARCHAR)`,
    );
    expect(r).toMatchObject({ rows: 6000, nulls: 0 });
  });
});

describe('DoubleColumn', () => {
  it('reads doubles and nulls like the library does', async () => {
    const result = await db.stream(
      `SELECT CASE WHEN i % 5 = 0 THEN NULL ELSE epoch_ms(TIMESTAMP '2019-10-01' + INTERVAL (i) SECOND)::DOUBLE END FROM range(5000) t(i)`,
    );
    let rows = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const column = new DoubleColumn(duckdb.data_chunk_get_vector(chunk.chunk, 0), chunk.rowCount);
      const expected = chunk.getColumnVector(0);
      for (let i = 0; i < chunk.rowCount; i++) expect(column.get(i)).toBe(expected.getItem(i));
      rows += chunk.rowCount;
    }
    expect(rows).toBe(5000);
  });
});
