import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
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
const DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/**
 * The loopback browser bridge: serves the built renderer and the Workbench API over a WebSocket.
 * Every request needs the per-start token: in the URL (?token=) for the first page load, which sets a
 * same-site HttpOnly cookie; from then on the cookie alone admits the page's assets, its reloads and its
 * WebSocket (the page drops the token from the address bar and history). The Host and Origin headers must
 * name this loopback address, which stops DNS-rebinding and cross-site pages.
 *
 * One client's bad frame or broken connection closes that client's socket only: every socket, the
 * WebSocket server and the HTTP server have error listeners, so nothing reaches the process as an uncaught
 * 'error' event (which would take the broker, the replay and the lake stream down with it).
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = randomBytes(24).toString('base64url');
  const server = createServer((req, res) => {
    void serveHttp(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Internal error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: maxMessageBytes,
    WebSocket: bridgeSocketClass(maxMessageBytes),
  });
  sockets.on('error', () => undefined); // only emitted for a failed upgrade, which closes that socket
  let port = 0;
  // Per port: two bridges on one machine (same host, other ports) must not overwrite each other's cookie.
  const cookieName = () => `clickpulse_token_${port}`;

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
    if (!byQuery && !tokenOk(cookieValue(req.headers.cookie, cookieName()))) {
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
    if (byQuery) headers['set-cookie'] = `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    const origin = req.headers.origin;
    const ownOrigin = origin === `http://${HOST}:${port}` || origin === `http://localhost:${port}`;
    const originOk = origin === undefined || ownOrigin;
    // The cookie admits only the page itself (browsers always send Origin); other clients use ?token=.
    const authorised =
      tokenOk(url.searchParams.get('token')) ||
      (ownOrigin && tokenOk(cookieValue(req.headers.cookie, cookieName())));
    if (url.pathname !== '/api' || !hostOk(req) || !originOk || !authorised) {
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
  server.on('error', () => undefined); // after listen, errors belong to one connection, which Node closes

  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    port,
    token,
    close: () => closeServer(server, sockets),
  };
}

/**
 * ws closes a socket that breaks the protocol with a bare code; this names the problem in the close reason
 * too, so a client sees why (RFC 6455 reasons must fit a control frame: at most 123 bytes).
 */
function bridgeSocketClass(maxMessageBytes: number): typeof WebSocket {
  const reasons: Record<number, string> = {
    1002: 'Protocol error: the frame breaks the WebSocket protocol.',
    1007: 'Invalid data: a text message must be valid UTF-8.',
    1009: `Message too big: the bridge accepts messages up to ${formatBytes(maxMessageBytes)}.`,
  };
  return class BridgeSocket extends WebSocket {
    override close(code?: number, data?: string | Buffer): void {
      super.close(code, data ?? (code === undefined ? undefined : reasons[code]));
    }
  };
}

function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${bytes} bytes`;
}

function serveSocket(ws: WebSocket, workbench: Workbench): void {
  const send = (message: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(encodeWire(message));
  };
  // ws reports a protocol error after it has sent the close frame (code and reason) and ended the socket.
  ws.on('error', () => undefined);
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
    void dispatch(workbench, message.call, message.payload)
      .then((envelope) => send({ id: message.id, ...envelope }))
      .catch(() => ws.terminate());
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
