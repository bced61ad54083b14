import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeWire, encodeWire, type WireClientMessage } from '../contract';
import { dispatch, type Workbench } from '../workbench';
import { readStatic } from './static-files';

export interface BridgeOptions {
  workbench: Workbench;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** 0 picks a free port. The bridge always binds 127.0.0.1. */
  port?: number;
  /** Largest message a page may send; bigger ones close that socket. */
  maxMessageBytes?: number;
}

export interface Bridge {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const COOKIE = 'clickpulse_token';

/**
 * The loopback browser bridge: serves the built renderer and the Workbench API over a WebSocket.
 * Every request needs the per-start token: in the URL (?token=) for the first page load, which sets a
 * same-site HttpOnly cookie so the page's own assets load, and in the WebSocket URL. The Host and Origin
 * headers must name this loopback address, which stops DNS-rebinding and cross-site pages.
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = randomBytes(24).toString('base64url');
  const server = createServer((req, res) => {
    void serveHttp(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Internal error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes ?? 8 * 1024 * 1024,
  });
  let port = 0;

  const hostOk = (req: IncomingMessage) =>
    req.headers.host === `${HOST}:${port}` || req.headers.host === `localhost:${port}`;
  const tokenOk = (candidate: string | null | undefined) => {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    if (!hostOk(req)) return refuse(res, 421, 'Refused: unexpected Host header.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Only GET is served.');
    const byQuery = tokenOk(url.searchParams.get('token'));
    if (!byQuery && !tokenOk(cookieValue(req.headers.cookie, COOKIE))) {
      return refuse(res, 403, 'Refused: this ClickPulse bridge needs the token printed when it started.');
    }
    const file = await readStatic(options.staticDir, url.pathname);
    if (!file) return refuse(res, 404, `Not found: ${url.pathname}`);
    const headers: Record<string, string> = {
      'content-type': file.type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': contentSecurityPolicy(port),
    };
    if (byQuery) headers['set-cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    const origin = req.headers.origin;
    const originOk =
      origin === undefined || origin === `http://${HOST}:${port}` || origin === `http://localhost:${port}`;
    if (url.pathname !== '/api' || !hostOk(req) || !originOk || !tokenOk(url.searchParams.get('token'))) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, options.workbench));
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${options.port} on ${HOST} is already in use; choose another with --port (0 picks a free one).`,
            )
          : error,
      );
    });
    server.listen(options.port ?? 0, HOST, () => resolvePromise());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    port,
    token,
    close: () => closeServer(server, sockets),
  };
}

function serveSocket(ws: WebSocket, workbench: Workbench): void {
  const send = (message: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(encodeWire(message));
  };
  const unsubscribe = workbench.subscribe((event, payload) => send({ event, payload }));
  ws.on('close', unsubscribe);
  ws.on('message', (data, isBinary) => {
    let message: WireClientMessage;
    try {
      const raw = isBinary ? new Uint8Array(data as Buffer) : (data as Buffer).toString('utf8');
      message = decodeWire(raw) as WireClientMessage;
      if (typeof message?.id !== 'number') throw new Error('missing numeric id');
    } catch (error) {
      ws.close(
        1003,
        `Malformed message: ${error instanceof Error ? error.message : String(error)}`.slice(0, 120),
      );
      return;
    }
    void dispatch(workbench, message.call, message.payload).then((envelope) =>
      send({ id: message.id, ...envelope }),
    );
  });
}

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ws://${HOST}:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`${message}\n`);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

function closeServer(server: Server, sockets: WebSocketServer): Promise<void> {
  for (const client of sockets.clients) client.terminate();
  sockets.close();
  server.closeAllConnections();
  return new Promise((resolvePromise) => server.close(() => resolvePromise()));
}
