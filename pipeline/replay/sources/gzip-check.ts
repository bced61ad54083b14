import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';

/** Where and why a gzip file stops being a valid gzip stream. */
export interface GzipProblem {
  /** Compressed bytes zlib had taken in when it failed (the byte offset of the break, give or take a chunk). */
  offset: number;
  size: number;
  truncated: boolean;
  detail: string;
}

/**
 * Decompresses the whole file with zlib, which checks what DuckDB's reader does not: the end marker and
 * the CRC. DuckDB stops silently at a truncated gzip and reads garbage past a corrupt block, so the replay
 * runs this beside its DuckDB scan (zlib works on libuv's thread pool, not the JS thread) and fails the run
 * when it reports a problem. Resolves null for a sound file, or when `signal` aborts.
 */
export function checkGzip(path: string, signal?: AbortSignal): Promise<GzipProblem | null> {
  return new Promise((resolve) => {
    const input = createReadStream(path, { highWaterMark: 256 * 1024 });
    const gunzip = createGunzip({ chunkSize: 256 * 1024 });
    let size = 0;
    let settled = false;
    const settle = (problem: GzipProblem | null) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      input.destroy();
      gunzip.destroy();
      resolve(problem);
    };
    const abort = () => settle(null);
    if (signal?.aborted) return settle(null);
    signal?.addEventListener('abort', abort);
    input.on('data', (chunk) => (size += chunk.length));
    input.on('error', (error) =>
      settle({ offset: size, size, truncated: false, detail: (error as Error).message }),
    );
    gunzip.on('data', () => undefined); // drain: only the checks matter
    gunzip.on('error', (error: NodeJS.ErrnoException) =>
      settle({
        offset: gunzip.bytesWritten,
        size,
        truncated: error.code === 'Z_BUF_ERROR',
        detail: error.message,
      }),
    );
    gunzip.on('end', () => settle(null));
    input.pipe(gunzip);
  });
}

/** One sentence naming the file and the byte offset, for the replay's error. */
export function gzipProblemMessage(path: string, problem: GzipProblem, rowsSent: number): string {
  const where = `at byte ${problem.offset.toLocaleString('en-US')}`;
  const what = problem.truncated
    ? `is truncated: the gzip stream ends ${where} before its end marker`
    : `is corrupt ${where} (${problem.detail})`;
  return `${basename(path)} ${what}; the ${rowsSent.toLocaleString('en-US')} rows read before it were sent and acknowledged (path: ${path}).`;
}
