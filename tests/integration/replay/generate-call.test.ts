import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../pipeline/workbench';
import { testWorkbench } from '../../helpers/workbench';

describe('replay.generate', () => {
  let wb: Awaited<ReturnType<typeof testWorkbench>>;
  beforeAll(async () => {
    wb = await testWorkbench();
  });
  afterAll(() => wb.dispose());

  it('writes the dataset into <configDir>/generated and reuses it for the same arguments', async () => {
    const first = await dispatch(wb.workbench, 'replay.generate', { rows: 50, seed: 7 });
    if (!first.ok) throw new Error(first.error.message);
    const value = first.value as { path: string; rows: number; bytes: number };
    expect(value.path).toBe(
      join(wb.dir, 'config', 'generated', 'synthetic-50-rows-seed-7-from-2019-10-01.csv'),
    );
    expect(value.rows).toBe(50);
    expect(value.bytes).toBe((await stat(value.path)).size);
    const text = await readFile(value.path, 'utf8');
    expect(text.split('\n')[0]).toBe(
      'event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session',
    );
    expect(text.trim().split('\n')).toHaveLength(51);

    const modified = (await stat(value.path)).mtimeMs;
    const again = await dispatch(wb.workbench, 'replay.generate', { rows: 50, seed: 7 });
    expect(again).toEqual(first);
    expect((await stat(value.path)).mtimeMs).toBe(modified);
  });

  it('refuses bad arguments with a message naming the field, and writes nothing', async () => {
    const zero = await dispatch(wb.workbench, 'replay.generate', { rows: 0 });
    expect(zero.ok).toBe(false);
    if (!zero.ok) expect(zero.error.message).toMatch(/rows/);
    const date = await dispatch(wb.workbench, 'replay.generate', { rows: 10, start: 'October' });
    expect(date.ok).toBe(false);
    if (!date.ok) expect(date.error.message).toMatch(/start.*2019-10-01|2019-10-01.*start/s);
    const badDay = await dispatch(wb.workbench, 'replay.generate', { rows: 10, start: '2019-13-45' });
    expect(badDay.ok).toBe(false);
    if (!badDay.ok) expect(badDay.error.message).toMatch(/start must be a date/);
  });
});
