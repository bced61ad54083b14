import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL_ENV } from '../../../pipeline/dataset/months';
import { runCli } from '../../helpers/run-cli';
import { SAMPLE_CSV } from '../../helpers/query-lake';
import { tempDir } from '../../helpers/temp';
import { startRees46Server } from './rees46-server';

const served = gzipSync(readFileSync(SAMPLE_CSV));

describe('clickpulse download', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: Awaited<ReturnType<typeof startRees46Server>>;

  const previous = process.env[BASE_URL_ENV];
  beforeAll(async () => {
    dir = await tempDir();
    server = await startRees46Server({ '2019-Oct.csv.gz': served });
    process.env[BASE_URL_ENV] = server.baseUrl;
  });
  afterAll(async () => {
    // The CLI reads the base URL from the environment, so restore what the worker had.
    process.env[BASE_URL_ENV] = previous ?? '';
    await server.close();
    await dir.remove();
  });

  it('prints progress on stderr and the path on stdout; a second run needs --force', async () => {
    const first = await runCli(['download', '2019-Oct', '--out', dir.path]);
    expect(first.code).toBe(0);
    expect(first.out).toBe(join(dir.path, '2019-Oct.csv.gz'));
    expect(first.err).toMatch(/^2019-Oct {2}\S+ \S+ of \S+ \S+ \(100\.0 %\)/m);
    expect((await readFile(first.out)).equals(served)).toBe(true);

    const again = await runCli(['download', '2019-Oct', '--out', dir.path]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already downloaded .*--force/);
    expect((await runCli(['download', '2019-Oct', '--out', dir.path, '--force'])).code).toBe(0);
  });

  it('explains a malformed month with exit code 2', async () => {
    const bad = await runCli(['download', '2019-10', '--out', dir.path]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('"2019-10" is not a month in the form YYYY-Mon (for example 2019-Oct)');
  });
});
