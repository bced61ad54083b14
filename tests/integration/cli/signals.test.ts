import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeWire, encodeWire } from '../../../pipeline/contract';
import { startTestBroker, type TestBroker } from '../../helpers/broker';
import { builtCli, startCli } from '../../helpers/cli';
import { runChild, startChild, type TestChild } from '../../helpers/children';
import { repoRoot } from '../../helpers/repo-root';
import { tempDir } from '../../helpers/temp';

// Spawns the built CLI (npm run build first). Each command is signalled once it is busy, and the test
// asserts that it exits on its own (a generous wait, not a timing: the 5 s promise is enforced in the CLI).
const EXIT_WAIT_MS = 30_000;

let dir: { path: string; remove: () => Promise<void> };
let t: TestBroker & { remove: () => Promise<void> };
let bigCsv: string;

beforeAll(async () => {
  dir = await tempDir('clickpulse-signals-');
  t = await startTestBroker();
  bigCsv = join(dir.path, 'big.csv');
  const generated = await runChild(
    process.execPath,
    [builtCli, 'generate', '--rows', '100000', '--seed', '9', '--out', bigCsv],
    {
      timeoutMs: 120_000,
    },
  );
  expect(generated.code, generated.stderr).toBe(0);
}, 180_000);
afterAll(async () => {
  await t?.remove();
  await dir?.remove();
});

/** Waits for the child to exit, failing (instead of hanging) if it does not within EXIT_WAIT_MS. */
async function exitOf(child: TestChild) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no exit after the signal; stderr: ${child.stderr()}`)),
      EXIT_WAIT_MS,
    );
  });
  try {
    return await Promise.race([child.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

const config = () => join(dir.path, `config-${Math.random().toString(36).slice(2)}`);

describe('clickpulse stops on SIGINT/SIGTERM', () => {
  it('web: exits cleanly on SIGTERM', async () => {
    const web = startCli(['web', '--lake', join(dir.path, 'web-lake'), '--config', config()]);
    await web.line();
    web.signal('SIGTERM');
    expect(await exitOf(web)).toEqual({ code: 0, signal: null });
  });

  it('web: exits cleanly on SIGTERM while runaway queries run and wait and the broker runs', async () => {
    const web = startCli(['web', '--lake', join(dir.path, 'web-lake-busy'), '--config', config()]);
    const { port, searchParams } = new URL(await web.line());
    const ws = await new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/api?token=${searchParams.get('token')}`);
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
    const answers = new Map<number, (m: Record<string, unknown>) => void>();
    ws.on('message', (data: Buffer, binary: boolean) => {
      const m = decodeWire(binary ? new Uint8Array(data) : data.toString()) as Record<string, unknown>;
      answers.get(m.id as number)?.(m);
    });
    let id = 0;
    const call = (name: string, payload: unknown) => {
      const mine = ++id;
      const answer = new Promise<Record<string, unknown>>((r) => answers.set(mine, r));
      ws.send(encodeWire({ id: mine, call: name, payload }));
      return answer;
    };
    try {
      expect(await call('broker.start', { port: 0 })).toMatchObject({ ok: true });
      // More runaways than user-query slots: some run, some wait; the catalog answers behind them.
      const runaways = [1, 2, 3].map(() =>
        call('query.run', { sql: 'SELECT count(*) FROM range(1000000000000)' }),
      );
      expect(await call('lake.catalog', {})).toMatchObject({ ok: true });
      web.signal('SIGTERM');
      // Exit 0, not the forced exit (143, "did not stop within 5.0 s"): the queries were interrupted.
      expect(await exitOf(web)).toEqual({ code: 0, signal: null });
      expect(web.stderr()).not.toContain('did not stop');
      void runaways; // never answered: the bridge closed with the process
    } finally {
      ws.terminate();
    }
  });

  it('a command stuck in a DuckDB query still ends at once on the second signal, or at the deadline', async () => {
    const stuck = (graceMs: number) =>
      startChild(
        process.execPath,
        ['--import', 'tsx', join(repoRoot, 'tests', 'helpers', 'stuck-query-child.ts'), String(graceMs)],
        { stdio: ['ignore', 'pipe', 'pipe'], cwd: repoRoot },
      );
    // process.exit() here waited for the query in DuckDB's destructor: "exiting now", and no exit.
    const twice = stuck(60_000);
    await twice.line();
    twice.signal('SIGTERM');
    await twice.output(/stopping \(SIGTERM\)/);
    twice.signal('SIGINT');
    expect(await exitOf(twice)).toEqual({ code: null, signal: 'SIGINT' });
    expect(twice.stderr()).toContain('SIGINT again: exiting now.');
    const once = stuck(200);
    await once.line();
    once.signal('SIGTERM');
    expect(await exitOf(once)).toEqual({ code: null, signal: 'SIGTERM' });
    expect(once.stderr()).toContain('did not stop within 0.2 s: exiting.');
  });

  it('web: a second signal exits at once', async () => {
    const web = startCli(['web', '--lake', join(dir.path, 'web-lake2'), '--config', config()]);
    await web.line();
    web.signal('SIGTERM');
    web.signal('SIGINT');
    const exit = await exitOf(web);
    // Either the second signal came first (the process ends by SIGINT) or the clean stop was already done
    // (0); never a hang.
    expect([
      { code: 0, signal: null },
      { code: null, signal: 'SIGINT' },
    ]).toContainEqual(exit);
    if (exit.signal === 'SIGINT') expect(web.stderr()).toContain('SIGINT again: exiting now.');
  });

  it('broker: exits cleanly on SIGINT', async () => {
    const broker = startCli(['broker', '--port', '0', '--data', join(dir.path, 'broker-data')]);
    await broker.line();
    broker.signal('SIGINT');
    expect((await exitOf(broker)).code).toBe(0);
  });

  it('replay: a paced replay stops on SIGTERM, reporting it stopped', async () => {
    const replay = startCli([
      'replay',
      bigCsv,
      '--brokers',
      t.bootstrap,
      '--topic',
      'sig_replay',
      '--rate',
      '200',
      '--config',
      config(),
    ]);
    await replay.output(/running [^\n]*[1-9]\d* sent/); // mid-run: rows are going out
    replay.signal('SIGTERM');
    const exit = await exitOf(replay);
    expect(exit.signal).toBeNull();
    expect(replay.stdout() + replay.stderr()).toMatch(/stopped/);
  });

  it('stream: exits on SIGINT while consuming', async () => {
    const stream = startCli([
      'stream',
      '--lake',
      join(dir.path, 'stream-lake'),
      '--brokers',
      t.bootstrap,
      '--topic',
      'sig_replay',
      '--config',
      config(),
    ]);
    await stream.line((l) => l.startsWith('Streaming'));
    stream.signal('SIGINT');
    const exit = await exitOf(stream);
    expect(exit.signal).toBeNull();
    expect([0, 1]).toContain(exit.code);
  });

  it('export: stops on SIGTERM mid-export', async () => {
    const exporter = startCli([
      'export',
      '--lake',
      join(dir.path, 'no-lake'),
      '--out',
      join(dir.path, 'out'),
      '--results',
      bigCsv,
      '--format',
      'xlsx',
    ]);
    await exporter.output(/\[1\/\d+\]/); // busy: the first step has started
    exporter.signal('SIGTERM');
    const exit = await exitOf(exporter);
    expect(exit.signal).toBeNull();
  });

  it('export: refuses a target it cannot create, with one sentence, instead of spinning', async () => {
    const results = join(dir.path, 'tiny.csv');
    writeFileSync(results, 'a,b\n1,2\n');
    const exporter = startCli([
      'export',
      '--lake',
      join(dir.path, 'no-lake'),
      '--out',
      '/proc/forbidden',
      '--results',
      results,
      '--format',
      'csv',
    ]);
    const exit = await exitOf(exporter);
    expect(exit.code).toBe(1);
    expect(exporter.stderr()).toContain(
      'Cannot create /proc/forbidden: /proc does not allow new folders; choose another folder.',
    );
  });
});
