import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplayProgress } from '../../../pipeline/contract';
import { generateDataset } from '../../../pipeline/replay/generator/generate';
import { dispatch, type Workbench } from '../../../pipeline/workbench';
import { testWorkbench } from '../../helpers/workbench';

// Backpressure with the real lake consumer: Bronze is stalled by pausing the stream's fetching, and
// the replay must stop running ahead of it (at most the bound: 20,000 rows at least, here the whole
// bound) and go on once Bronze takes rows in again.
const ROWS = 120_000;
const BOUND = 20_000;
/** A Produce request's worth of rows per flush, three flushes in flight: what may pass before the check. */
const SLACK = 15_000;

let wb: { workbench: Workbench; dir: string; dispose: () => Promise<void> } | null = null;
afterEach(async () => {
  await wb?.dispose();
  wb = null;
});

async function setUp(topic: string): Promise<{ workbench: Workbench; file: string }> {
  wb = await testWorkbench();
  const { path: file } = await generateDataset({ rows: ROWS, seed: 3, out: join(wb.dir, 'events.csv') });
  expect(await dispatch(wb.workbench, 'broker.start', { port: 0 })).toMatchObject({ ok: true });
  expect(await dispatch(wb.workbench, 'stream.start', { topic })).toMatchObject({ ok: true });
  return { workbench: wb.workbench, file };
}

async function until(workbench: Workbench, done: (p: ReplayProgress) => boolean): Promise<ReplayProgress> {
  for (;;) {
    const p = await workbench.call('replay.status', {});
    if (p && done(p)) return p;
    if (p && ['failed', 'stopped'].includes(p.state)) throw new Error(`replay ${p.state}: ${p.error}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const bronzeRows = (workbench: Workbench, topic: string) =>
  [...(workbench.stream.bronzePosition(topic)?.values() ?? [])].reduce((a, b) => a + b, 0);

describe('replay backpressure from Bronze', () => {
  it('holds the replay within the bound while Bronze is stalled, and finishes once it runs again', async () => {
    const { workbench, file } = await setUp('bp');
    // Let Bronze start, then stall it.
    workbench.stream.pause();
    const started = await dispatch(workbench, 'replay.start', {
      path: file,
      topic: 'bp',
      aheadOfBronzeSeconds: 0.001, // the bound is then the minimum, 20,000 rows
    });
    expect(started).toMatchObject({ ok: true });
    const held = await until(workbench, (p) => p.heldBackByBronze === true);
    const stalledAt = bronzeRows(workbench, 'bp');
    // While held: well short of the file, and it stays put (checked over a few polls of the run).
    for (let i = 0; i < 10; i++) {
      const p = await workbench.call('replay.status', {});
      expect(p?.state).toBe('running');
      expect(p?.heldBackByBronze).toBe(true);
      expect(p?.rowsSent ?? 0).toBeLessThanOrEqual(stalledAt + BOUND + SLACK);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(held.rowsSent).toBeLessThan(ROWS);

    workbench.stream.resume();
    const done = await until(workbench, (p) => p.state === 'completed');
    expect(done.rowsSent).toBe(ROWS);
    expect(done.heldBackSeconds ?? 0).toBeGreaterThan(0);
    const lake = await workbench.stream.caughtUp();
    expect(lake.bronze.rows).toBe(ROWS);
  }, 180_000);

  it('runs unthrottled when asked: a stalled Bronze does not hold it', async () => {
    const { workbench, file } = await setUp('bp-free');
    workbench.stream.pause();
    expect(
      await dispatch(workbench, 'replay.start', { path: file, topic: 'bp-free', aheadOfBronzeSeconds: null }),
    ).toMatchObject({ ok: true });
    const done = await until(workbench, (p) => p.state === 'completed');
    expect(done.rowsSent).toBe(ROWS);
    expect(done.heldBackSeconds ?? 0).toBe(0);
    expect(bronzeRows(workbench, 'bp-free')).toBeLessThan(ROWS);
    workbench.stream.resume();
  }, 180_000);
});
