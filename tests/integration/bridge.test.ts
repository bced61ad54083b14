import { request } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeWire, encodeWire } from '../../pipeline/contract';
import { startBridge, type Bridge } from '../../pipeline/web/server';
import { testWorkbench } from '../helpers/workbench';

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    })
      .on('error', reject)
      .end();
  });
}

function connect(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextMessage(
  ws: WebSocket,
  match: (m: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer, isBinary: boolean) => {
      const message = decodeWire(isBinary ? new Uint8Array(data) : data.toString()) as Record<
        string,
        unknown
      >;
      if (match(message)) {
        ws.off('message', onMessage);
        resolve(message);
      }
    };
    ws.on('message', onMessage);
  });
}

describe('loopback browser bridge', () => {
  let ctx: Awaited<ReturnType<typeof testWorkbench>>;
  let bridge: Bridge;
  let base: string;
  let wsUrl: string;

  beforeAll(async () => {
    ctx = await testWorkbench();
    const staticDir = join(ctx.dir, 'static');
    await mkdir(join(staticDir, 'assets'), { recursive: true });
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>ClickPulse</title>');
    await writeFile(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(ctx.dir, 'secret.txt'), 'secret');
    bridge = await startBridge({ workbench: ctx.workbench, staticDir, port: 0 });
    base = `http://127.0.0.1:${bridge.port}`;
    wsUrl = `ws://127.0.0.1:${bridge.port}/api?token=${bridge.token}`;
  });
  afterAll(async () => {
    await bridge.close();
    await ctx.dispose();
  });

  it('binds loopback only and prints a tokened URL', () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  });

  it('refuses the page without the token, serves it with the token and sets a strict cookie', async () => {
    const refused = await get(`${base}/`);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('needs the token');
    const wrong = await get(`${base}/?token=${'x'.repeat(bridge.token.length)}`);
    expect(wrong.status).toBe(403);
    const page = await get(bridge.url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('ClickPulse');
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const asset = await get(`${base}/assets/app.js`, { cookie: cookie.split(';')[0] ?? '' });
    expect(asset.status).toBe(200);
    expect((await get(`${base}/assets/app.js`)).status).toBe(403);
  });

  it('never serves files outside the renderer folder', async () => {
    const response = await get(`${base}/..%2fsecret.txt?token=${bridge.token}`);
    expect(response.status).toBe(404);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const response = await get(bridge.url, { host: 'evil.example:80' });
    expect(response.status).toBe(421);
  });

  it('refuses WebSockets without the token or from another origin', async () => {
    await expect(connect(`ws://127.0.0.1:${bridge.port}/api`)).rejects.toThrow(/403/);
    await expect(connect(wsUrl, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });

  it('admits the page’s WebSocket by its cookie, from its own origin only', async () => {
    const page = await get(bridge.url);
    const cookie = String(page.headers['set-cookie']).split(';')[0] ?? '';
    expect(cookie).toMatch(new RegExp(`^clickpulse_token_${bridge.port}=`));
    const api = `ws://127.0.0.1:${bridge.port}/api`;
    const ws = await connect(api, { cookie, origin: base });
    ws.close();
    await expect(connect(api, { cookie })).rejects.toThrow(/403/);
    await expect(connect(api, { cookie, origin: 'http://127.0.0.1:1' })).rejects.toThrow(/403/);
    await expect(connect(api, { origin: base })).rejects.toThrow(/403/);
  });

  it('answers calls, validates payloads and pushes events', async () => {
    const ws = await connect(wsUrl, { origin: base });
    try {
      ws.send(encodeWire({ id: 1, call: 'app.info', payload: {} }));
      const info = await nextMessage(ws, (m) => m.id === 1);
      expect(info).toMatchObject({ ok: true, value: { transport: 'web', version: '0.0.0-test' } });

      ws.send(encodeWire({ id: 2, call: 'settings.update', payload: { brokerPort: 'abc' } }));
      const invalid = await nextMessage(ws, (m) => m.id === 2);
      expect(invalid).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', issues: [{ path: 'brokerPort' }] },
      });

      const changed = nextMessage(ws, (m) => m.event === 'settings.changed');
      ws.send(encodeWire({ id: 3, call: 'settings.update', payload: { theme: 'dark' } }));
      expect(await changed).toMatchObject({ payload: { theme: 'dark' } });
    } finally {
      ws.close();
    }
  });

  it('closes only the socket that sends garbage; others carry on', async () => {
    const bad = await connect(wsUrl);
    const good = await connect(wsUrl);
    try {
      const closed = new Promise<number>((resolve) => bad.once('close', (code) => resolve(code)));
      bad.send('{not json');
      expect(await closed).toBe(1003);
      good.send(encodeWire({ id: 9, call: 'settings.get', payload: {} }));
      expect(await nextMessage(good, (m) => m.id === 9)).toMatchObject({ ok: true });
    } finally {
      good.close();
    }
  });
});
