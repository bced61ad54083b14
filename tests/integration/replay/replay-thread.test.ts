import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReplayOptions, type ReplayProgress } from '../../../pipeline/contract';
import { ReplayRunHost } from '../../../pipeline/replay/host/replay-host';
import { startTestBroker } from '../../helpers/broker';
import { SAMPLE_CSV } from '../../helpers/query-lake';
import { tempDir } from '../../helpers/temp';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const dir = await tempDir('clickpulse-replay-thread-');
  cleanups.push(dir.remove);
  const t = await startTestBroker();
  cleanups.push(t.remove);
  return { dir: dir.path, t };
}

function host(dir: string, bootstrap: string, extra: Partial<ReplayOptions>, seen: ReplayProgress[]) {
  const h = new ReplayRunHost(
    ReplayOptions.parse({ path: SAMPLE_CSV, topic: 'thread_events', ...extra }),
    { bootstrap },
    { checkpointsDir: join(dir, 'checkpoints'), onProgress: (p) => seen.push(p) },
  );
  // Ends the thread whatever the test did.
  cleanups.push(() => h.stop().then(() => undefined));
  return h;
}

describe('the replay on its own worker thread', () => {
  it('replays there, relays progress under the host’s run id, and ends the thread when done', async () => {
    const { dir, t } = await setup();
    const seen: ReplayProgress[] = [];
    const h = host(dir, t.bootstrap, {}, seen);
    expect(h.progress()).toMatchObject({ state: 'starting', runId: h.id });
    const done = await h.finished;
    expect(done).toMatchObject({ state: 'completed', rowsSent: 1000, runId: h.id, error: null });
    expect(seen.some((p) => p.state === 'running')).toBe(true);
    expect(seen.every((p) => p.runId === h.id)).toBe(true);
    const ends = t.broker.topics().find((x) => x.name === 'thread_events')?.partitions ?? [];
    expect(ends.reduce((n, p) => n + p.logEndOffset, 0)).toBe(1000);
    await h.exited;
    // The thread is gone: a stop changes nothing, and finished stays what it was.
    expect(await h.stop()).toBe(done);
  });

  it('fails with the reason when the file is missing, and ends the thread', async () => {
    const { dir, t } = await setup();
    const h = host(dir, t.bootstrap, { path: join(dir, 'missing.csv') }, []);
    const done = await h.finished;
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/missing\.csv/);
    await h.exited;
  });

  it('pauses, resumes and stops a paced run there', async () => {
    const { dir, t } = await setup();
    const seen: ReplayProgress[] = [];
    const h = host(dir, t.bootstrap, { rate: 50 }, seen);
    while (h.progress().state !== 'running') await new Promise((r) => setTimeout(r, 20));
    h.pause();
    expect(h.progress().state).toBe('paused');
    while (!seen.some((p) => p.state === 'paused')) await new Promise((r) => setTimeout(r, 20));
    h.resume();
    expect(h.progress().state).toBe('running');
    const stopped = await h.stop();
    expect(stopped.state).toBe('stopped');
    expect(stopped.rowsSent).toBeLessThan(1000);
    await h.exited;
  });
});
