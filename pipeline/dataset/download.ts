import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError } from '../contract/envelope';
import type { DownloadResult } from '../contract/dataset';
import { httpGet } from './http-get';
import { monthFileName, monthUrl, parseMonth, REES46_MONTHS } from './months';
import { formatSize } from './progress';

export interface DownloadOptions {
  /** `YYYY-Mon`; validated here. */
  month: string;
  outDir: string;
  /** Where the monthly files are served; default data.rees46.com (or CLICKPULSE_REES46_BASE_URL). */
  baseUrl?: string | undefined;
  /** Replace a complete file that is already there. */
  force?: boolean;
  signal?: AbortSignal;
  /** Bytes on disk so far (including a resumed part) and the expected total, on every chunk. */
  onProgress?: (bytes: number, totalBytes: number | null) => void;
}

/**
 * Downloads one REES46 month to `<outDir>/<YYYY-Mon>.csv.gz`. The bytes go to a `.part` file first, which is
 * renamed only once it is complete and verified, so a half file never looks like a dataset; an interrupted
 * `.part` is continued with an HTTP Range request on the next attempt.
 */
export async function downloadMonth(options: DownloadOptions): Promise<DownloadResult> {
  const month = validMonth(options.month);
  const url = monthUrl(month, options.baseUrl);
  const path = join(options.outDir, monthFileName(month));
  const part = `${path}.part`;
  await prepareFolder(options.outDir);

  const existing = await sizeOf(path);
  if (existing !== null && !options.force) {
    throw new ApiError({
      code: 'CONFLICT',
      message: `${path} is already downloaded (${formatSize(existing)}); download again with --force (or confirm in the app) to replace it.`,
    });
  }

  const context = { month, url, path, part, outDir: options.outDir };
  let offset = (await sizeOf(part)) ?? 0;
  const resumed = offset > 0;
  let total: number | null = null;
  for (let attempt = 0; ; attempt++) {
    const opened = await openTransfer(context, offset, options.signal);
    const { response, start } = opened;
    total = opened.total;
    if (start === null) break; // the part already holds every byte
    if (start !== offset) {
      // The server ignored our Range (200) or answered another one: start over rather than splice wrong bytes.
      offset = 0;
      if (start !== 0) {
        response.destroy();
        if (attempt > 0) throw new Error(`${url} answered a range that does not continue the partial file.`);
        await rm(part, { force: true });
        continue;
      }
    }
    await receive(context, response, offset, total, options);
    break;
  }

  const bytes = await verify(context, total);
  await rename(part, path);
  return { month, path, bytes, resumed, url };
}

interface Transfer {
  month: string;
  url: string;
  path: string;
  part: string;
  outDir: string;
}

function validMonth(text: string): string {
  try {
    return parseMonth(text);
  } catch (error) {
    throw new ApiError({ code: 'VALIDATION', message: (error as Error).message });
  }
}

/** Sends the GET (with a Range when resuming) and reads the status: where the body starts, and the full size. */
async function openTransfer(
  t: Transfer,
  offset: number,
  signal: AbortSignal | undefined,
): Promise<{ response: IncomingMessage; total: number | null; start: number | null }> {
  let response: IncomingMessage;
  try {
    ({ response } = await httpGet(t.url, offset > 0 ? { range: `bytes=${offset}-` } : {}, signal));
  } catch (error) {
    throw networkError(t, error, offset, signal);
  }
  const status = response.statusCode ?? 0;
  if (status === 200) return { response, total: numberOrNull(response.headers['content-length']), start: 0 };
  if (status === 206) {
    const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers['content-range'] ?? '');
    if (!range) {
      response.destroy();
      throw new Error(`${t.url} answered 206 without a usable Content-Range.`);
    }
    const total = range[3] === '*' ? null : Number(range[3]);
    return { response, total, start: Number(range[1]) };
  }
  response.resume();
  if (status === 416) {
    // Asking past the end: either the part is already complete, or it is longer than the file (stale).
    const total = numberOrNull(/\/(\d+)$/.exec(response.headers['content-range'] ?? '')?.[1]);
    if (total !== null && total === offset) return { response, total, start: null };
    await rm(t.part, { force: true });
    return openTransfer(t, 0, signal);
  }
  if (status === 404) {
    throw new ApiError({
      code: 'NOT_FOUND',
      message: `REES46 has no file for ${t.month} (HTTP 404 from ${t.url}). The published months are ${REES46_MONTHS.join(', ')}.`,
    });
  }
  throw new Error(
    `Downloading ${t.month} failed: ${t.url} answered HTTP ${status} ${response.statusMessage ?? ''}.`,
  );
}

/** Streams the body into the part file (appending when it continues one) and reports every chunk. */
async function receive(
  t: Transfer,
  response: IncomingMessage,
  offset: number,
  total: number | null,
  options: DownloadOptions,
): Promise<void> {
  let bytes = offset;
  options.onProgress?.(bytes, total);
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      options.onProgress?.(bytes, total);
      done(null, chunk);
    },
  });
  const file = createWriteStream(t.part, { flags: offset > 0 ? 'a' : 'w' });
  try {
    await pipeline(response, counter, file, ...(options.signal ? [{ signal: options.signal }] : []));
  } catch (error) {
    response.destroy();
    const code = (error as NodeJS.ErrnoException).code;
    if (code && DISK_ERRORS.has(code)) throw diskError(t, code, total);
    throw networkError(t, error, bytes, options.signal);
  }
}

/** The part must hold exactly the announced size and be gzip data before it becomes the dataset file. */
async function verify(t: Transfer, total: number | null): Promise<number> {
  const bytes = (await sizeOf(t.part)) ?? 0;
  if (total !== null && bytes < total) {
    throw new Error(
      `The download of ${t.month} stopped at ${formatSize(bytes)} of ${formatSize(total)}; run it again to resume.`,
    );
  }
  if (total !== null && bytes > total) {
    await rm(t.part, { force: true });
    throw new Error(
      `The download of ${t.month} came out larger than announced; it was discarded, run it again.`,
    );
  }
  const head = Buffer.alloc(2);
  const handle = await open(t.part, 'r');
  try {
    await handle.read(head, 0, 2, 0);
  } finally {
    await handle.close();
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    await rm(t.part, { force: true });
    throw new Error(`${t.url} did not send gzip data (is the base URL right?); the file was discarded.`);
  }
  return bytes;
}

const DISK_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENOTDIR', 'EEXIST']);

function diskError(t: Pick<Transfer, 'month' | 'outDir'>, code: string, total: number | null): ApiError {
  const need = total !== null ? ` (the file is ${formatSize(total)})` : '';
  const reason =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? `the disk is full${need}; free some space or choose another folder`
      : code === 'EROFS'
        ? 'it is on a read-only file system; choose another folder'
        : code === 'ENOTDIR' || code === 'EEXIST'
          ? 'it is a file, not a folder; choose a folder'
          : 'permission denied; choose a folder you can write to';
  return new ApiError({ code: 'FAILED', message: `Cannot save ${t.month} in ${t.outDir}: ${reason}.` });
}

async function prepareFolder(outDir: string): Promise<void> {
  try {
    await mkdir(outDir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EACCES';
    throw diskError({ month: 'the download', outDir }, code, null);
  }
}

const OFFLINE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
]);

function networkError(t: Transfer, error: unknown, bytesOnDisk: number, signal?: AbortSignal): ApiError {
  const kept =
    bytesOnDisk > 0
      ? ` The ${formatSize(bytesOnDisk)} already downloaded are kept in ${t.part}; run the download again to resume.`
      : '';
  if (signal?.aborted) {
    return new ApiError({ code: 'CANCELLED', message: `The download of ${t.month} was cancelled.${kept}` });
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code && OFFLINE_CODES.has(code)) {
    const host = new URL(t.url).host;
    return new ApiError({
      code: 'FAILED',
      message: `Cannot reach ${host}: you seem to be offline (${code}). Check the connection and try again.${kept}`,
    });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new ApiError({
    code: 'FAILED',
    message: `The connection broke while downloading ${t.month} (${detail}).${kept}`,
  });
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}

function numberOrNull(text: string | undefined): number | null {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : null;
}
