import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import https from 'node:https';

const MAX_REDIRECTS = 5;
// A transfer that delivers nothing for this long is treated as a lost connection (and can be resumed).
const IDLE_TIMEOUT_MS = 60_000;

export class StalledError extends Error {
  readonly code = 'ETIMEDOUT';
}

/**
 * GETs `url` (http or https), following redirects with the same headers, and resolves with the response whose
 * body the caller consumes. `signal` aborts the request or the body at any point.
 */
export async function httpGet(
  url: string,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<{ response: IncomingMessage; url: string }> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await requestOnce(current, headers, signal);
    const location = response.headers.location;
    if (response.statusCode && [301, 302, 303, 307, 308].includes(response.statusCode) && location) {
      response.resume();
      current = new URL(location, current).toString();
      continue;
    }
    return { response, url: current };
  }
  throw new Error(`Too many redirects starting at ${url}.`);
}

function requestOnce(
  url: string,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<IncomingMessage> {
  const client = new URL(url).protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(url, { headers, ...(signal ? { signal } : {}) }, resolve);
    request.setTimeout(IDLE_TIMEOUT_MS, () =>
      request.destroy(new StalledError(`no data for ${IDLE_TIMEOUT_MS / 1000} s`)),
    );
    request.on('error', reject);
  });
}
