import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../../pipeline/replay/generator/generate';
import type {
  CallName,
  CallRequest,
  CallResponse,
  ReplayProgress,
  RunSummary,
} from '../../../pipeline/contract';
import { Workbench, dispatch } from '../../../pipeline/workbench';
import { repoRoot } from '../../helpers/repo-root';
import { tempDir } from '../../helpers/temp';

// The run history through a real Workbench, broker and replay: one file, two runs, then a second
// Workbench on the same config folder (a restart) that still lists them.
const ROWS = 3000;

let dir: { path: string; remove: () => Promise<void> };
let workbench: Workbench;
let file: string;

async function open(): Promise<Workbench> {
  const opened = new Workbench({
    transport: 'web',
    configDir: join(dir.path, 'config'),
    lakeDir: join(dir.path, 'lake'),
    resourcesDir: join(repoRoot, 'resources'),
    version: '0.0.0-test',
  });
  // As if the user had picked the test's folder in the in-app picker (calls go through dispatch, a page's entry).
  await opened.paths.grants.grant(dir.path, 'folder');
  return opened;
}

/** Through dispatch, as the transports call it: the request is parsed (defaults applied) first. */
async function call<K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>> {
  const answer = await dispatch(workbench, name, request);
  if (!answer.ok) throw new Error(`${String(name)}: ${answer.error.message}`);
  return answer.value as CallResponse<K>;
}

async function until(done: (p: ReplayProgress) => boolean): Promise<ReplayProgress> {
  for (;;) {
    const p = await workbench.call('replay.status', {});
    if (p && done(p)) return p;
    if (p?.state === 'failed') throw new Error(`replay failed: ${p.error}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  dir = await tempDir();
  workbench = await open();
  ({ path: file } = await generateDataset({ rows: ROWS, seed: 5, out: join(dir.path, 'events.csv') }));
  expect(await dispatch(workbench, 'broker.start', { port: 0 })).toMatchObject({ ok: true });
});

afterAll(async () => {
  await workbench?.close();
  await dir?.remove();
});

describe('run history', () => {
  it('keeps a finished run’s series and summary, and its Elapsed stops at the end', async () => {
    await call('replay.start', { path: file, topic: 'hist_max', resume: false });
    const done = await until((p) => p.state === 'completed');
    const series = await workbench.call('replay.series', {});
    expect(series?.run).toMatchObject({
      runId: done.runId,
      state: 'completed',
      rowsSent: ROWS,
      topic: 'hist_max',
    });
    expect(series?.run.endedAt).not.toBeNull();
    // The first point is the start, the last covers the end: the rows sent add up to the whole run.
    const points = series?.points ?? [];
    expect(points.length).toBeGreaterThanOrEqual(2);
    const sent = points
      .slice(1)
      .reduce((n, p, i) => n + (p.produced * (p.at - (points[i]?.at ?? 0))) / 1000, 0);
    expect(Math.round(sent)).toBe(ROWS);
    // Elapsed does not grow once the run has ended (waited for: the history's next sample a second later).
    const before = (await workbench.call('replay.status', {}))?.elapsedSeconds;
    const start = points.length;
    await expect
      .poll(async () => (await workbench.call('replay.series', { runId: done.runId }))?.points.length, {
        timeout: 10_000,
      })
      .toBeGreaterThanOrEqual(start);
    await new Promise((r) => setTimeout(r, 1100)); // one history sample later
    expect((await workbench.call('replay.status', {}))?.elapsedSeconds).toBe(before);
  });

  it('says where a stopped run would resume, with its share of the file', async () => {
    const request = { path: file, topic: 'hist_paced', speed: 600, key: 'user_id', order: 'file' } as const;
    expect(await call('replay.resumePoint', request)).toBeNull();
    await call('replay.start', request);
    await until((p) => p.state === 'running' && p.rowsSent > 0);
    const stopped = (await call('replay.stop', {})) as ReplayProgress;
    expect(stopped.state).toBe('stopped');
    const resume = await call('replay.resumePoint', request);
    expect(resume?.completed).toBe(false);
    expect(resume?.rowsDone).toBe(stopped.rowsRead);
    expect(resume?.estimatedRows).toBeGreaterThan(0);
    // Another topic is another replay: nothing to resume there.
    expect(await call('replay.resumePoint', { ...request, topic: 'elsewhere' })).toBeNull();
    const bad = await dispatch(workbench, 'replay.resumePoint', {
      path: join(dir.path, 'gone.csv'),
      topic: 't',
    });
    expect(bad).toMatchObject({ ok: false });
  });

  it('lists past runs after a restart, newest first, with their charts', async () => {
    await workbench.close();
    workbench = await open();
    const runs = (await call('replay.history', {})) as RunSummary[];
    expect(runs.map((r) => [r.topic, r.state])).toEqual([
      ['hist_paced', 'stopped'],
      ['hist_max', 'completed'],
    ]);
    expect(runs[1]).toMatchObject({ rowsSent: ROWS, path: file });
    expect(runs[1]?.averageRate).toBeGreaterThan(0);
    const chart = await workbench.call('replay.series', { runId: runs[1]?.runId ?? '' });
    expect(chart?.points.length).toBeGreaterThanOrEqual(2);
    expect(await workbench.call('replay.series', { runId: 'no-such-run' })).toBeNull();
  });
});
