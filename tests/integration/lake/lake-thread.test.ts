import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamOptions } from '../../../pipeline/contract';
import { LakeStreamHost } from '../../../pipeline/stream/host/lake-host';
import { startTestBroker } from '../../helpers/broker';
import { tempDir } from '../../helpers/temp';
import { dispatch } from '../../../pipeline/workbench';
import { testWorkbench } from '../../helpers/workbench';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the lake consumer on its own worker thread', () => {
  it('runs there, relays status and Bronze positions, and ends the thread on stop', async () => {
    const dir = await tempDir('clickpulse-lake-thread-');
    cleanups.push(dir.remove);
    const t = await startTestBroker();
    cleanups.push(t.remove);
    const statuses: string[] = [];
    const host = new LakeStreamHost(
      { lake: join(dir.path, 'lake'), options: StreamOptions.parse({}), target: { bootstrap: t.bootstrap } },
      (s) => statuses.push(s.state),
    );
    cleanups.push(() => host.stop().then(() => undefined));
    expect(await host.start()).toMatchObject({ state: 'running', bottleneck: null, warnings: [] });
    expect(host.running).toBe(true);
    expect(host.bronzePosition()).toEqual(new Map());
    expect(await host.stop()).toMatchObject({ state: 'stopped' });
    expect(host.running).toBe(false);
    expect(statuses).toContain('running');
    await expect(host.caughtUp(new Map())).rejects.toThrow(/not running/);
  });

  it('ends the thread when starting fails, with the reason', async () => {
    const dir = await tempDir('clickpulse-lake-thread-');
    cleanups.push(dir.remove);
    const lake = join(dir.path, 'lake');
    // Nothing listens on port 1: connecting fails inside the thread.
    const host = new LakeStreamHost(
      { lake, options: StreamOptions.parse({}), target: { bootstrap: '127.0.0.1:1' } },
      () => undefined,
    );
    cleanups.push(() => host.stop().then(() => undefined));
    await expect(host.start()).rejects.toThrow(/ECONNREFUSED/);
    expect(host.running).toBe(false);
  });

  it('is stopped when the Workbench closes even if another domain fails to stop first', async () => {
    // Left running, the thread would be torn down by the process's exit, and a thread ended while DuckDB
    // works in it aborts the process ("terminate called after throwing an instance of 'Napi::Error'").
    const wb = await testWorkbench();
    cleanups.push(wb.dispose);
    cleanups.push(async () => {
      await wb.workbench.stream.stop().catch(() => undefined);
      await wb.workbench.broker.stop().catch(() => undefined);
    });
    expect(await dispatch(wb.workbench, 'broker.start', { port: 0 })).toMatchObject({ ok: true });
    expect(await dispatch(wb.workbench, 'stream.start', {})).toMatchObject({ ok: true });
    // Registered last, so it runs first.
    wb.workbench.onClose(() => {
      throw new Error('this domain could not stop');
    });
    await expect(wb.workbench.close()).rejects.toThrow('this domain could not stop');
    expect(wb.workbench.stream.status().state).toBe('stopped');
    expect((await wb.workbench.call('broker.status', {})).state).toBe('stopped');
  });
});
