import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLakeDb } from '../../../pipeline/lake/duckdb';
import { estimateRows } from '../../../pipeline/replay/run/estimate-rows';
import { builtCli } from '../../helpers/cli';
import { runChild } from '../../helpers/children';
import { SAMPLE_CSV } from '../../helpers/query-lake';
import { tempDir } from '../../helpers/temp';
import { statSync } from 'node:fs';

let dir: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir('clickpulse-estimate-');
});
afterAll(() => dir.remove());

const estimate = (path: string, format: 'csv' | 'parquet' | 'json') =>
  withLakeDb((db) => estimateRows(db, path, format, statSync(path).size));

describe('row estimates for progress and ETA', () => {
  it('is exact for a file read whole and for Parquet, and close for a large gzip', async () => {
    expect(await estimate(SAMPLE_CSV, 'csv')).toBe(1000);
    const parquet = join(dir.path, 'sample.parquet');
    await withLakeDb((db) =>
      db.run(`COPY (SELECT * FROM read_csv('${SAMPLE_CSV}')) TO '${parquet}' (FORMAT parquet)`),
    );
    expect(await estimate(parquet, 'parquet')).toBe(1000);
    const gz = join(dir.path, 'big.csv.gz');
    const generated = await runChild(process.execPath, [
      builtCli,
      'generate',
      '--rows',
      '200000',
      '--seed',
      '5',
      '--out',
      gz,
    ]);
    expect(generated.code, generated.stderr).toBe(0);
    const guess = await estimate(gz, 'csv');
    expect(Math.abs(guess - 200_000) / 200_000).toBeLessThan(0.1);
  });
});
