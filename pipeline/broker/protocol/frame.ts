import { ApiVersions } from './messages/api-versions';
import type { Reader } from './reader';
import { MalformedRequestError } from './reader';
import type { AnyApi } from './registry';
import { nullableString, type Ctx } from './types';
import { Writer } from './writer';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/**
 * Request header v1 (key, version, correlation id, nullable client id — always an int16-length
 * string), plus a tagged-fields section (header v2) when the API's version is flexible.
 * Reads the fixed part first so even a request we cannot parse can be answered by correlation id.
 */
export function readHeaderStart(r: Reader): Omit<RequestHeader, 'clientId'> {
  return { apiKey: r.int16(), apiVersion: r.int16(), correlationId: r.int32() };
}

export function readHeaderRest(r: Reader, flexible: boolean): string | null {
  const clientId = nullableString.read(r, { version: 0, flexible: false });
  if (flexible) {
    const tags = r.uvarint();
    for (let i = 0; i < tags; i++) {
      r.uvarint();
      r.bytes(r.uvarint());
    }
  }
  return clientId;
}

export function ctxFor(api: AnyApi, version: number): Ctx {
  return { version, flexible: version >= api.flexibleFrom };
}

export function decodeRequest(api: AnyApi, r: Reader, ctx: Ctx): unknown {
  const body = (api.request as { read(r: Reader, c: Ctx): unknown }).read(r, ctx);
  if (r.remaining !== 0) {
    throw new MalformedRequestError(
      `${api.name} v${ctx.version}: ${r.remaining} unexpected bytes after the body`,
    );
  }
  return body;
}

/** A whole response frame: size, correlation id, header tags (flexible, except ApiVersions: always header v0), body. */
export function encodeResponse(api: AnyApi, version: number, correlationId: number, body: unknown): Buffer {
  return Buffer.concat(encodeResponseChunks(api, version, correlationId, body));
}

/** The same frame as pieces to write in order (see Writer.toChunks): what the connections send. */
export function encodeResponseChunks(
  api: AnyApi,
  version: number,
  correlationId: number,
  body: unknown,
): Buffer[] {
  const ctx = ctxFor(api, version);
  const w = new Writer();
  w.int32(0).int32(correlationId);
  if (ctx.flexible && api.key !== ApiVersions.key) w.uvarint(0);
  (api.response as { write(w: Writer, v: unknown, c: Ctx): void }).write(w, body, ctx);
  const chunks = w.toChunks();
  // The size field is the first 4 bytes of the first piece (small values share one scratch piece).
  (chunks[0] as Buffer).writeInt32BE(w.length - 4, 0);
  return chunks;
}
