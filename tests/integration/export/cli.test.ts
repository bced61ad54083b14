import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli';
import { tempDir } from '../../helpers/temp';
import { buildSampleGold } from './gold-lake';

describe('clickpulse export', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let lake: string;
  beforeAll(async () => {
    dir = await tempDir();
    lake = join(dir.path, 'lake');
    await buildSampleGold(lake);
  });
  afterAll(() => dir.remove());

  it('exports the chosen tables and formats, printing each file with its size', async () => {
    const out = join(dir.path, 'mes exports ü');
    const {
      code,
      out: stdout,
      err,
    } = await runCli([
      'export',
      '--lake',
      lake,
      '--out',
      out,
      '--tables',
      'gold.funnel_daily,hourly_heatmap',
      '--format',
      'csv,tableau',
    ]);
    expect(err.split('\n')).toEqual([
      '[1/6] funnel_daily.csv',
      '[2/6] funnel_daily.tds',
      '[3/6] funnel_daily.tdsx',
      '[4/6] hourly_heatmap.csv',
      '[5/6] hourly_heatmap.tds',
      '[6/6] hourly_heatmap.tdsx',
    ]);
    expect(code).toBe(0);
    const lines = stdout.split('\n').map((l) => l.split('\t'));
    expect(lines.map(([path]) => path)).toEqual(
      [
        'funnel_daily.csv',
        'funnel_daily.tds',
        'funnel_daily.tdsx',
        'hourly_heatmap.csv',
        'hourly_heatmap.tds',
        'hourly_heatmap.tdsx',
      ].map((f) => join(out, f)),
    );
    for (const [, bytes] of lines) expect(Number(bytes)).toBeGreaterThan(0);
    expect((await readFile(join(out, 'hourly_heatmap.csv'), 'utf8')).replace(/"/g, '').split('\r\n')[0]).toBe(
      'day_of_week,day_name,hour,events,purchases,revenue',
    );
  });

  it('exports every Gold table as CSV, Parquet and Tableau by default', async () => {
    const out = join(dir.path, 'all');
    const { code } = await runCli(['export', '--lake', lake, '--out', out]);
    expect(code).toBe(0);
    const files = await readdir(out);
    expect(files).toHaveLength(9 * 4);
    expect(files.filter((f) => f.endsWith('.xlsx'))).toEqual([]);
  });

  it('refuses to overwrite without --force and overwrites with it', async () => {
    const out = join(dir.path, 'twice');
    const args = ['export', '--lake', lake, '--out', out, '--tables', 'funnel_daily', '--format', 'parquet'];
    expect((await runCli(args)).code).toBe(0);
    const again = await runCli(args);
    expect(again.code).toBe(1);
    expect(again.err).toBe(
      `clickpulse export: funnel_daily.parquet already exists in ${out}; choose another folder or allow overwriting. Pass --force to overwrite them.`,
    );
    expect((await runCli([...args, '--force'])).code).toBe(0);
  });

  it('explains bad input: unknown format, unknown table, missing flags', async () => {
    const out = join(dir.path, 'bad');
    const format = await runCli(['export', '--lake', lake, '--out', out, '--format', 'csv,hyper']);
    expect(format).toMatchObject({ code: 2 });
    expect(format.err).toBe(
      'clickpulse export: unknown format "hyper"; choose from csv, parquet, xlsx, tableau.',
    );
    const table = await runCli(['export', '--lake', lake, '--out', out, '--tables', 'funnel']);
    expect(table.code).toBe(1);
    expect(table.err).toMatch(
      /^clickpulse export: No Gold table "funnel" in the lake \(Gold tables: brand_daily, /,
    );
    const usage = await runCli(['export', '--out', out]);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('Usage: clickpulse export --lake DIR --out DIR');
    await expect(readdir(out)).rejects.toThrow();
  });

  it('says so when the lake has no Gold tables', async () => {
    const empty = join(dir.path, 'empty-lake');
    const { code, err } = await runCli(['export', '--lake', empty, '--out', join(dir.path, 'x')]);
    expect(code).toBe(1);
    expect(err).toBe(
      `clickpulse export: no Gold tables in ${empty}: build them first (clickpulse build all).`,
    );
  });
});
