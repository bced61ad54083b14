import { dirname, join } from 'node:path';
import { build } from 'hdr-histogram-js';
import WebSocket from 'ws';
import { decodeWire, encodeWire } from '../../pipeline/contract';
import { startWebCli } from '../helpers/cli';

/** What the browser bridge's round trips measured while a max-speed replay ran into the lake. */
export interface BridgeRoundTrips {
  calls: number;
  p50: number;
  p99: number;
  max: number;
  replaySeconds: number;
  rowsSent: number;
}

const EVERY_MS = 20;

/**
 * Drives `clickpulse web` (the built CLI) the way its page does, over the loopback bridge's WebSocket: starts
 * the embedded broker and the lake stream, picks `csv` in the in-app picker, starts a max-speed replay, and
 * times a `stream.status` round trip every 20 ms until the replay completes (ms, HDR histogram).
 */
export async function bridgeRoundTripsDuringReplay(csv: string, dir: string): Promise<BridgeRoundTrips> {
  const web = await startWebCli([
    '--port',
    '0',
    '--lake',
    join(dir, 'lake'),
    '--config',
    join(dir, 'config'),
  ]);
  let ws: WebSocket | null = null;
  try {
    const url = new URL(web.url);
    ws = await new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(`ws://${url.host}/api?token=${url.searchParams.get('token') ?? ''}`, {
        origin: url.origin,
      });
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
    const waiting = new Map<number, (m: { ok: boolean; value?: unknown; error?: unknown }) => void>();
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const m = decodeWire(isBinary ? new Uint8Array(data) : data.toString()) as {
        id?: number;
        ok: boolean;
      };
      if (typeof m.id === 'number') waiting.get(m.id)?.(m);
    });
    let next = 1;
    const call = (name: string, payload: unknown): Promise<unknown> => {
      const id = next++;
      const socket = ws as WebSocket;
      return new Promise((resolve, reject) => {
        waiting.set(id, (m) => {
          waiting.delete(id);
          if (m.ok) resolve(m.value);
          else reject(new Error(`${name}: ${JSON.stringify(m.error)}`));
        });
        socket.send(encodeWire({ id, call: name, payload }));
      });
    };
    await call('broker.start', { port: 0 });
    await call('stream.start', {});
    await call('files.list', { path: dirname(csv) });
    await call('files.pick', { path: csv, mode: 'file' });
    const histogram = build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 600_000,
      numberOfSignificantValueDigits: 3,
    });
    const started = performance.now();
    await call('replay.start', { path: csv, resume: false });
    let progress = { state: 'running', rowsSent: 0 };
    for (;;) {
      const sent = performance.now();
      await call('stream.status', {});
      // Microseconds in the histogram (it holds integers): round trips are often under 1 ms.
      histogram.recordValue(Math.max(1, Math.round((performance.now() - sent) * 1000)));
      if (histogram.totalCount % 10 === 0) {
        progress = ((await call('replay.status', {})) as typeof progress | null) ?? progress;
        if (['completed', 'failed', 'stopped'].includes(progress.state)) break;
      }
      await new Promise((r) => setTimeout(r, EVERY_MS));
    }
    if (progress.state !== 'completed') throw new Error(`The replay ended ${progress.state}.`);
    const ms = (us: number) => us / 1000;
    return {
      calls: histogram.totalCount,
      // HDR buckets round up: never say more than the largest value recorded.
      p50: ms(Math.min(histogram.getValueAtPercentile(50), histogram.maxValue)),
      p99: ms(Math.min(histogram.getValueAtPercentile(99), histogram.maxValue)),
      max: ms(histogram.maxValue),
      replaySeconds: (performance.now() - started) / 1000,
      rowsSent: progress.rowsSent,
    };
  } finally {
    ws?.close();
    await web.stop();
  }
}
