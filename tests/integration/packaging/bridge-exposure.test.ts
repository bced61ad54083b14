import { request } from 'node:http';
import { connect } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBridge, type Bridge } from '../../../pipeline/web/server';
import { testWorkbench } from '../../helpers/workbench';

/** This machine's addresses other than loopback: where a LAN neighbour would knock. */
const outward = Object.values(networkInterfaces())
  .flat()
  .filter((a) => a !== undefined && !a.internal && !a.address.startsWith('fe80:'))
  .map((a) => a?.address ?? '');

function tcpOutcome(host: string, port: number): Promise<'open' | string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

function status(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

function wsOutcome(url: string, origin: string): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: { origin } });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(`HTTP ${String(res.statusCode)}`);
      ws.terminate();
    });
    ws.once('error', (error) => resolve(error.message));
  });
}

describe('browser bridge exposure', () => {
  let ctx: Awaited<ReturnType<typeof testWorkbench>>;
  let bridge: Bridge;
  let base: string;

  beforeAll(async () => {
    ctx = await testWorkbench();
    const staticDir = join(ctx.dir, 'static');
    await mkdir(staticDir, { recursive: true });
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>ClickPulse</title>');
    bridge = await startBridge({ workbench: ctx.workbench, staticDir, port: 0 });
    base = `http://127.0.0.1:${bridge.port}`;
  });
  afterAll(async () => {
    await bridge.close();
    await ctx.dispose();
  });

  it('accepts connections on loopback', async () => {
    expect(await tcpOutcome('127.0.0.1', bridge.port)).toBe('open');
  });

  it.skipIf(outward.length === 0)(
    "refuses connections on the machine's network addresses (skipped: no non-loopback interface)",
    async () => {
      for (const address of outward) {
        expect(await tcpOutcome(address, bridge.port), address).toBe('ECONNREFUSED');
      }
    },
  );

  it('serves nothing and opens no API socket without the exact token', async () => {
    const near = `${bridge.token.slice(0, -1)}${bridge.token.endsWith('A') ? 'B' : 'A'}`;
    expect(await status(`${base}/`)).toBe(403);
    expect(await status(`${base}/?token=${near}`)).toBe(403);
    expect(await status(`${base}/`, { cookie: `clickpulse_token=${near}` })).toBe(403);
    expect(await status(`${base}/?token=${bridge.token}`)).toBe(200);

    expect(await wsOutcome(`ws://127.0.0.1:${bridge.port}/api`, base)).toBe('HTTP 403');
    expect(await wsOutcome(`ws://127.0.0.1:${bridge.port}/api?token=${near}`, base)).toBe('HTTP 403');
    expect(await wsOutcome(`ws://127.0.0.1:${bridge.port}/api?token=${bridge.token}`, base)).toBe('open');
  });
});
