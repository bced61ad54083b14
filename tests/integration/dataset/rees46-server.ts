import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedRequest {
  path: string;
  range: string | undefined;
}

/**
 * A stand-in for data.rees46.com on 127.0.0.1: serves the given files with Content-Length and byte ranges,
 * and can stall a transfer midway (`holdAfter`) so a test can break the connection at a known byte.
 */
export async function startRees46Server(files: Record<string, Buffer>) {
  const requests: ServedRequest[] = [];
  const held: ServerResponse[] = [];
  const state = { holdAfter: null as number | null, ignoreRange: false };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ path, range: req.headers.range });
    const body = files[path.split('/').pop() ?? ''];
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    const range = state.ignoreRange ? null : /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    if (start >= body.length && range) {
      res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
      return;
    }
    const rest = body.subarray(start);
    res.writeHead(range ? 206 : 200, {
      'content-type': 'application/gzip',
      'content-length': String(rest.length),
      'accept-ranges': 'bytes',
      ...(range ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    if (state.holdAfter !== null && state.holdAfter < rest.length) {
      res.write(rest.subarray(0, state.holdAfter));
      held.push(res);
      return;
    }
    res.end(rest);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/datasets/marketplace/`,
    requests,
    state,
    /** Kills the connections of stalled transfers, as a dropped network would. */
    dropHeld(): void {
      for (const res of held.splice(0)) res.socket?.destroy();
    },
    close(): Promise<void> {
      for (const res of held.splice(0)) res.socket?.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
