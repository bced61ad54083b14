import { readFileSync } from 'node:fs';
import { mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DownloadProgress, DownloadResult } from '../../../pipeline/contract/dataset';
import { dispatch } from '../../../pipeline/workbench';
import { SAMPLE_CSV } from '../../helpers/query-lake';
import { testWorkbench } from '../../helpers/workbench';
import { startRees46Server } from './rees46-server';

const served = gzipSync(readFileSync(SAMPLE_CSV));

describe('dataset.download: fetch a REES46 month from the publisher', () => {
  let ctx: Awaited<ReturnType<typeof testWorkbench>>;
  let server: Awaited<ReturnType<typeof startRees46Server>>;
  let out: string;
  let run = 0;

  const download = (request: Record<string, unknown>) =>
    dispatch(ctx.workbench, 'dataset.download', { baseUrl: server.baseUrl, outDir: out, ...request });
  const downloaded = async (request: Record<string, unknown>) => {
    const answer = await download(request);
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.value as DownloadResult;
  };
  const refused = async (request: Record<string, unknown>) => {
    const answer = await download(request);
    if (answer.ok) throw new Error('expected the download to be refused');
    return answer.error;
  };
  /** Waits until the partial file holds `bytes`, i.e. everything the stalled server sent reached the disk. */
  const partReaches = async (path: string, bytes: number) => {
    for (;;) {
      const size = await stat(path).then(
        (s) => s.size,
        () => 0,
      );
      if (size >= bytes) return;
      await sleep(5);
    }
  };

  beforeAll(async () => {
    ctx = await testWorkbench();
    server = await startRees46Server({ '2019-Oct.csv.gz': served, '2019-Nov.csv.gz': Buffer.from('<html>') });
  });
  afterAll(async () => {
    await server.close();
    await ctx.dispose();
  });
  beforeEach(async () => {
    out = join(ctx.dir, `out-${run++}`);
    server.requests.length = 0;
    server.state.holdAfter = null;
    server.state.ignoreRange = false;
  });

  it('downloads the whole file to <out>/<YYYY-Mon>.csv.gz, leaving no .part, and reports progress', async () => {
    const events: DownloadProgress[] = [];
    const stop = ctx.workbench.subscribe((name, payload) => {
      if (name === 'dataset.downloadProgress') events.push(payload as DownloadProgress);
    });
    const result = await downloaded({ month: '2019-oct' });
    stop();
    expect(result).toMatchObject({
      month: '2019-Oct',
      path: join(out, '2019-Oct.csv.gz'),
      bytes: served.length,
    });
    expect(result.resumed).toBe(false);
    expect((await readFile(result.path)).equals(served)).toBe(true);
    await expect(stat(`${result.path}.part`)).rejects.toThrow();
    expect(events.at(-1)).toMatchObject({
      month: '2019-Oct',
      bytes: served.length,
      state: 'done',
      etaSeconds: 0,
    });
    expect(events.at(-1)?.totalBytes).toBe(served.length);
  });

  it('resumes an interrupted transfer with a Range request and ends with identical bytes', async () => {
    const half = Math.floor(served.length / 2);
    const part = join(out, '2019-Oct.csv.gz.part');
    server.state.holdAfter = half;
    const first = download({ month: '2019-Oct' });
    await partReaches(part, half);
    server.dropHeld();
    const broken = await first;
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.error.message).toMatch(/run the download again to resume/);
    expect((await stat(part)).size).toBe(half);
    await expect(stat(join(out, '2019-Oct.csv.gz'))).rejects.toThrow();

    server.state.holdAfter = null;
    const result = await downloaded({ month: '2019-Oct' });
    expect(result.resumed).toBe(true);
    expect(server.requests.at(-1)?.range).toBe(`bytes=${half}-`);
    expect((await readFile(result.path)).equals(served)).toBe(true);
  });

  it('starts over when the server ignores the Range and answers the whole file', async () => {
    await mkdir(out, { recursive: true });
    await writeFile(join(out, '2019-Oct.csv.gz.part'), 'stale bytes');
    server.state.ignoreRange = true;
    const result = await downloaded({ month: '2019-Oct' });
    expect(server.requests.at(-1)?.range).toBe('bytes=11-');
    expect((await readFile(result.path)).equals(served)).toBe(true);
  });

  it('finishes a .part that already holds every byte (the server answers 416)', async () => {
    await mkdir(out, { recursive: true });
    await writeFile(join(out, '2019-Oct.csv.gz.part'), served);
    const result = await downloaded({ month: '2019-Oct' });
    expect(server.requests.map((r) => r.range)).toEqual([`bytes=${served.length}-`]);
    expect((await readFile(result.path)).equals(served)).toBe(true);
  });

  it('never replaces a complete file unless forced', async () => {
    await downloaded({ month: '2019-Oct' });
    const error = await refused({ month: '2019-Oct' });
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/2019-Oct\.csv\.gz is already downloaded .*--force/);
    expect(server.requests).toHaveLength(1);
    expect((await readFile(join(out, '2019-Oct.csv.gz'))).equals(served)).toBe(true);
    await downloaded({ month: '2019-Oct', force: true });
    expect(server.requests).toHaveLength(2);
  });

  it('names the month format on a bad month, and the published months on a 404', async () => {
    const bad = await refused({ month: 'Oct-2019' });
    expect(bad.message).toMatch(/"Oct-2019" is not a month in the form YYYY-Mon \(for example 2019-Oct\)/);
    const missing = await refused({ month: '2018-Jan' });
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toMatch(/REES46 has no file for 2018-Jan \(HTTP 404 .*2019-Oct, 2019-Nov/);
    await expect(stat(join(out, '2018-Jan.csv.gz'))).rejects.toThrow();
  });

  it('says the machine seems offline when the host cannot be reached', async () => {
    const port = await freePort();
    const error = await refused({ month: '2019-Oct', baseUrl: `http://127.0.0.1:${port}/` });
    expect(error.message).toBe(
      `Cannot reach 127.0.0.1:${port}: you seem to be offline (ECONNREFUSED). Check the connection and try again.`,
    );
  });

  it('refuses a destination that is a file, a full disk, and a server that sends no gzip', async () => {
    const file = join(ctx.dir, `a-file-${run}`);
    await writeFile(file, 'x');
    expect((await refused({ month: '2019-Oct', outDir: file })).message).toBe(
      `Cannot save the download in ${file}: it is a file, not a folder; choose a folder.`,
    );

    await mkdir(out, { recursive: true });
    await symlink('/dev/full', join(out, '2019-Oct.csv.gz.part'));
    expect((await refused({ month: '2019-Oct' })).message).toMatch(
      /^Cannot save 2019-Oct in .*: the disk is full \(the file is .*\); free some space or choose another folder\.$/,
    );

    expect((await refused({ month: '2019-Nov' })).message).toMatch(/did not send gzip data/);
    await expect(stat(join(out, '2019-Nov.csv.gz'))).rejects.toThrow();
  });

  it('cancels a running download and keeps the partial file', async () => {
    const events: DownloadProgress[] = [];
    const stop = ctx.workbench.subscribe((name, payload) => {
      if (name === 'dataset.downloadProgress') events.push(payload as DownloadProgress);
    });
    const part = join(out, '2019-Oct.csv.gz.part');
    server.state.holdAfter = 1000;
    const running = download({ month: '2019-Oct' });
    await partReaches(part, 1000);
    const cancel = await dispatch(ctx.workbench, 'dataset.cancelDownload', { month: '2019-Oct' });
    expect(cancel).toEqual({ ok: true, value: { cancelled: true } });
    const answer = await running;
    stop();
    expect(answer.ok ? null : answer.error.code).toBe('CANCELLED');
    expect((await stat(part)).size).toBe(1000);
    expect(events.at(-1)?.state).toBe('cancelled');
    server.dropHeld();
  });

  it('gives a file that replay.inspect recognizes as REES46 behaviour data', async () => {
    const { path } = await downloaded({ month: '2019-Oct' });
    const answer = await dispatch(ctx.workbench, 'replay.inspect', { path });
    expect(answer.ok && (answer.value as { kind: string }).kind).toBe('rees46-behavior');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
