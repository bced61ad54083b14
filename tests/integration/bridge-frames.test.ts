import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeWire, encodeWire } from '../../pipeline/contract';
import { startBridge, type Bridge } from '../../pipeline/web/server';
import { rawWebSocket, wsFrame } from '../helpers/raw-websocket';
import { testWorkbench } from '../helpers/workbench';

const TEXT = 0x1;
const CLOSE = 0x8;
const PING = 0x9;

const closeBody = (code: number) => {
  const body = Buffer.alloc(2);
  body.writeUInt16BE(code);
  return body;
};

/** The malformed frames a page holding the token once used to take the whole process down, one each. */
const MALFORMED: { name: string; frame: Buffer; code: number; reason: RegExp }[] = [
  {
    name: 'a frame over 8 MiB',
    frame: wsFrame(TEXT, Buffer.from('{"id":1'), { claimedLength: 8 * 1024 * 1024 + 1 }),
    code: 1009,
    reason: /Message too big: the bridge accepts messages up to 8 MiB/,
  },
  {
    name: 'invalid UTF-8',
    frame: wsFrame(TEXT, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])),
    code: 1007,
    reason: /valid UTF-8/,
  },
  {
    name: 'an unmasked frame',
    frame: wsFrame(TEXT, Buffer.from('{}'), { masked: false }),
    code: 1002,
    reason: /Protocol error/,
  },
  {
    name: 'RSV1 set',
    frame: wsFrame(TEXT, Buffer.from('{}'), { rsv1: true }),
    code: 1002,
    reason: /Protocol error/,
  },
  { name: 'opcode 3', frame: wsFrame(0x3, Buffer.from('{}')), code: 1002, reason: /Protocol error/ },
  {
    name: 'a continuation first',
    frame: wsFrame(0x0, Buffer.from('{}')),
    code: 1002,
    reason: /Protocol error/,
  },
  { name: 'close code 999', frame: wsFrame(CLOSE, closeBody(999)), code: 1002, reason: /Protocol error/ },
  {
    name: 'a 200-byte ping',
    frame: wsFrame(PING, Buffer.alloc(200, 0x61)),
    code: 1002,
    reason: /Protocol error/,
  },
];

function connect(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, id: number, name: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer, isBinary: boolean) => {
      const message = decodeWire(isBinary ? new Uint8Array(data) : data.toString()) as Record<
        string,
        unknown
      >;
      if (message.id !== id) return;
      ws.off('message', onMessage);
      resolve(message);
    };
    ws.on('message', onMessage);
    ws.send(encodeWire({ id, call: name, payload: {} }));
  });
}

describe('bridge under malformed WebSocket frames', () => {
  let ctx: Awaited<ReturnType<typeof testWorkbench>>;
  let bridge: Bridge;
  let good: WebSocket;

  beforeAll(async () => {
    ctx = await testWorkbench();
    const staticDir = join(ctx.dir, 'static');
    await mkdir(staticDir, { recursive: true });
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>ClickPulse</title>');
    bridge = await startBridge({ workbench: ctx.workbench, staticDir, port: 0 });
    good = await connect(`ws://127.0.0.1:${bridge.port}/api?token=${bridge.token}`);
  });
  afterAll(async () => {
    good?.close();
    await bridge?.close();
    await ctx?.dispose();
  });

  let id = 1;
  for (const { name, frame, code, reason } of MALFORMED) {
    it(`closes only the sender of ${name}, with a code and reason; others carry on`, async () => {
      const raw = await rawWebSocket(bridge.port, `/api?token=${bridge.token}`);
      try {
        raw.send(frame);
        const closed = await raw.closed;
        expect(closed.code).toBe(code);
        expect(closed.reason).toMatch(reason);
        // The client that was already connected and a new one are both still served.
        expect(await call(good, id++, 'settings.get')).toMatchObject({ ok: true });
        const fresh = await connect(`ws://127.0.0.1:${bridge.port}/api?token=${bridge.token}`);
        try {
          expect(await call(fresh, id++, 'app.info')).toMatchObject({ ok: true });
        } finally {
          fresh.close();
        }
      } finally {
        raw.socket.destroy();
      }
    });
  }

  it('survives a client that resets its connection mid-frame', async () => {
    const raw = await rawWebSocket(bridge.port, `/api?token=${bridge.token}`);
    raw.send(wsFrame(TEXT, Buffer.alloc(1000, 0x20)).subarray(0, 500));
    raw.socket.resetAndDestroy();
    await raw.closed;
    expect(await call(good, id++, 'settings.get')).toMatchObject({ ok: true });
  });
});
