import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { fromNodePort, fromProcess } from '../../pipeline/app/host/channel';
import { WorkbenchClient } from '../../pipeline/app/host/client';
import { answerSecret, SECRET_QUESTION } from '../../pipeline/app/host/relayed-secrets';
import { hostWorkbench } from '../../pipeline/app/host/serve';
import type { SecretStore } from '../../pipeline/sinks/postgres/secrets';
import type { WorkbenchOptions } from '../../pipeline/workbench';
import { startChild } from '../helpers/children';
import { tempDir } from '../helpers/temp';
import { repoRoot } from '../helpers/workbench';

// The desktop app's process layout without Electron: main's relay (WorkbenchClient) talks to a Workbench
// host over a real channel. Electron's own call (utilityProcess.fork) is the one part not run here.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function options(): Promise<WorkbenchOptions> {
  const dir = await tempDir('clickpulse-host-');
  cleanups.push(dir.remove);
  return {
    transport: 'electron',
    configDir: join(dir.path, 'config'),
    lakeDir: join(dir.path, 'lake'),
    resourcesDir: join(repoRoot, 'resources'),
    version: '0.0.0-host-test',
  };
}

describe('the Workbench host over a worker_threads MessageChannel', () => {
  async function pair() {
    const { port1, port2 } = new MessageChannel();
    cleanups.push(() => {
      port1.close();
      port2.close();
    });
    const hosting = hostWorkbench(fromNodePort(port1));
    const client = new WorkbenchClient(fromNodePort(port2), await options());
    const hosted = await hosting;
    cleanups.push(() => client.shutdown());
    return { client, hosted };
  }

  it('serves contract calls, validates them with the contract, and forwards events', async () => {
    const { client } = await pair();
    const info = await client.call('app.info', {});
    expect(info).toMatchObject({ ok: true, value: { transport: 'electron', version: '0.0.0-host-test' } });

    const events: [string, unknown][] = [];
    client.subscribe((name, payload) => events.push([name, payload]));
    const updated = await client.call('settings.update', { theme: 'dark' });
    expect(updated).toEqual({ ok: true, value: { theme: 'dark' } });
    await expect.poll(() => events).toContainEqual(['settings.changed', { theme: 'dark' }]);

    expect(await client.call('settings.update', { theme: 'purple' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await client.call('no.such.call', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CALL' },
    });
  });

  it("lets the host ask main for a native dialog, and reports main's refusal", async () => {
    const { client, hosted } = await pair();
    client.onAsk('pick', (request) => `/picked/for/${(request as { mode: string }).mode}`);
    expect(await hosted.ask('pick', { mode: 'folder' })).toBe('/picked/for/folder');
    await expect(hosted.ask('print', {})).rejects.toThrow('Nothing here answers "print".');
  });

  it("lets the desktop page use only what main's dialog granted: a path it names is refused", async () => {
    const { client } = await pair();
    const outside = await tempDir('clickpulse-picked-');
    cleanups.push(outside.remove);
    const sample = join(repoRoot, 'resources', 'rees46-2019-oct-head1000.csv');
    const [picked, sibling] = [join(outside.path, 'picked.csv'), join(outside.path, 'sibling.csv')];
    await copyFile(sample, picked);
    await copyFile(sample, sibling);
    expect(await client.call('replay.inspect', { path: picked })).toEqual({
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: `Refused: ${picked} was not chosen in a file dialog this session, so it cannot be read as a dataset; choose it there first.`,
      },
    });
    // The page cannot grant itself a path; the bundled sample (an app folder) needs no grant.
    expect(await client.call('files.pick', { path: picked, mode: 'file' })).toMatchObject({
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: 'Refused: in the desktop app only the native file dialog grants a path.',
      },
    });
    expect(await client.call('replay.inspect', { path: sample })).toMatchObject({ ok: true });

    await client.grant(picked, 'file'); // what main does when its dialog returns the file
    expect(await client.call('replay.inspect', { path: picked })).toMatchObject({ ok: true });
    expect(await client.call('replay.inspect', { path: sibling })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await client.grant(outside.path, 'folder');
    expect(await client.call('replay.inspect', { path: sibling })).toMatchObject({ ok: true });
  });

  it("keeps a sink's password in main's keychain store through the relay, never in the host's settings", async () => {
    const { client, hosted } = await pair();
    const kept = new Map<string, string>();
    const keychain: SecretStore = {
      get: async (id) => kept.get(id) ?? null,
      set: async (id, secret) => void kept.set(id, secret),
      delete: async (id) => void kept.delete(id),
    };
    client.onAsk(SECRET_QUESTION, answerSecret(keychain));
    const target = { host: '127.0.0.1', port: 5999, database: 'shop', user: 'analyst' };
    expect(await client.call('sink.postgres.savePassword', { target, password: 's3cret' })).toEqual({
      ok: true,
      value: { saved: true },
    });
    expect([...kept.entries()]).toEqual([['postgres://analyst@127.0.0.1:5999/shop', 's3cret']]);
    // A malformed question from the host is refused by main, not run.
    await expect(hosted.ask(SECRET_QUESTION, { op: 'dump' })).rejects.toThrow(
      'Refused: not a secret-store question.',
    );
  });

  it('closes the Workbench on shutdown, after which calls fail instead of hanging', async () => {
    const { client, hosted } = await pair();
    await client.shutdown();
    await hosted.closed;
    expect(await client.call('app.info', {})).toMatchObject({ ok: false, error: { code: 'FAILED' } });
  });
});

// The built utility-process entry itself (npm run build first), forked by Node with an IPC channel.
const HOST_ENTRY = join(repoRoot, 'out', 'main', 'workbench-host.js');

describe('the built Workbench host (out/main/workbench-host.js) in a child process', () => {
  const hostChild = () =>
    startChild(process.execPath, [HOST_ENTRY], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });

  it('answers calls over the process channel and exits 0 after shutdown', async () => {
    const child = hostChild();
    const client = new WorkbenchClient(fromProcess(child.child), await options());
    child.child.once('exit', (code) => client.hostExited(`exit ${code}`));
    const first = await client.call('settings.get', {});
    expect(first, JSON.stringify(first) + child.stderr()).toEqual({ ok: true, value: {} });
    expect(await client.call('app.info', {})).toMatchObject({ ok: true, value: { transport: 'electron' } });
    await client.shutdown(30_000);
    expect((await child.exited).code).toBe(0);
  }, 60_000);

  it('a host that dies makes calls fail with the reason instead of hanging', async () => {
    const child = hostChild();
    const client = new WorkbenchClient(fromProcess(child.child), await options());
    child.child.once('exit', (code, signal) =>
      client.hostExited(`The Workbench process ended (${code ?? signal}).`),
    );
    expect((await client.call('app.info', {})).ok).toBe(true);
    await child.stop('SIGKILL');
    expect(await client.call('app.info', {})).toEqual({
      ok: false,
      error: { code: 'FAILED', message: 'The Workbench process ended (SIGKILL).' },
    });
  }, 60_000);
});
