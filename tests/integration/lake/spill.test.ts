import { existsSync, readdirSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { LAKE_DB_LIMITS, limitLakeDb } from '../../../pipeline/lake/duckdb';

// DuckDB names its spill files the same in every instance: lake DuckDBs that shared one spill folder
// overwrote each other's blocks (a 1M-row replay failed with "Corrupt temporary file"; this test crashed
// the process with SIGSEGV before each instance got a folder of its own).
describe("the lake's DuckDB instances", () => {
  it('spill side by side without touching each other, and leave no spill files behind', async () => {
    const list = () => (existsSync(LAKE_DB_LIMITS.spill) ? readdirSync(LAKE_DB_LIMITS.spill) : []);
    const before = new Set(list());
    const sortSpilling = async () => {
      const instance = await DuckDBInstance.create(':memory:');
      const db = await instance.connect();
      try {
        await limitLakeDb(db, '48MB');
        await db.run('SET threads = 1');
        const spill = (
          await db.runAndReadAll("SELECT current_setting('temp_directory')")
        ).getRowsJS()[0]?.[0];
        // Far more than 48 MB to sort: it must spill to be answered at all.
        const rows = await db.runAndReadAll(
          `SELECT sum(x * rn) AS checksum, count(*) AS n FROM (
             SELECT x, row_number() OVER (ORDER BY x, pad) AS rn
             FROM (SELECT (i * 7919) % 1000003 AS x, repeat('x', 40) || i AS pad FROM range(2000000) t(i)))`,
        );
        return { spill: String(spill), result: rows.getRowsJS()[0] };
      } finally {
        db.closeSync();
        instance.closeSync();
      }
    };
    const alone = await sortSpilling();
    const together = await Promise.all([sortSpilling(), sortSpilling(), sortSpilling()]);
    for (const run of together) expect(run.result).toEqual(alone.result);
    expect(new Set(together.map((r) => r.spill)).size).toBe(3);
    const left = list().filter((name) => !before.has(name));
    expect(left).toEqual([]);
  }, 120_000);
});
