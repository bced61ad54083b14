import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../pipeline/workbench';
import { testWorkbench } from '../helpers/workbench';

describe('files.list (the in-app file picker)', () => {
  let ctx: Awaited<ReturnType<typeof testWorkbench>>;
  beforeEach(async () => {
    ctx = await testWorkbench();
    await mkdir(join(ctx.dir, 'data', 'sub'), { recursive: true });
    await writeFile(join(ctx.dir, 'data', 'b.csv'), 'x\n1\n');
    await writeFile(join(ctx.dir, 'data', 'a.parquet'), 'PAR1');
    await writeFile(join(ctx.dir, 'data', 'notes.txt'), 'hi');
    await writeFile(join(ctx.dir, 'data', '.hidden.csv'), '');
  });
  afterEach(() => ctx.dispose());

  it('lists folders first, then matching files, without hidden ones', async () => {
    const answer = await dispatch(ctx.workbench, 'files.list', {
      path: join(ctx.dir, 'data'),
      extensions: ['.csv', '.parquet'],
    });
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    const listing = answer.value as {
      parent: string;
      entries: { name: string; kind: string; size: number }[];
    };
    expect(listing.parent).toBe(ctx.dir);
    expect(listing.entries.map((e) => [e.name, e.kind])).toEqual([
      ['sub', 'dir'],
      ['a.parquet', 'file'],
      ['b.csv', 'file'],
    ]);
    expect(listing.entries[2]?.size).toBe(4);
  });

  it('lists only folders when choosing a folder', async () => {
    const answer = await dispatch(ctx.workbench, 'files.list', {
      path: join(ctx.dir, 'data'),
      foldersOnly: true,
    });
    expect(answer.ok && (answer.value as { entries: { name: string }[] }).entries.map((e) => e.name)).toEqual(
      ['sub'],
    );
  });

  it('says plainly when the folder does not exist or is a file', async () => {
    const missing = await dispatch(ctx.workbench, 'files.list', { path: join(ctx.dir, 'nope') });
    expect(missing).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringContaining('does not exist') },
    });
    const file = await dispatch(ctx.workbench, 'files.list', { path: join(ctx.dir, 'data', 'b.csv') });
    expect(file).toMatchObject({ ok: false, error: { message: expect.stringContaining('is not a folder') } });
  });
});
