import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ctxFor,
  decodeRequest,
  encodeResponse,
  readHeaderRest,
  readHeaderStart,
} from '../../../pipeline/broker/protocol/frame';
import { ApiVersions } from '../../../pipeline/broker/protocol/messages/api-versions';
import { Reader } from '../../../pipeline/broker/protocol/reader';
import { APIS, type AnyApi } from '../../../pipeline/broker/protocol/registry';
import { nullableString, type Ctx, type Type } from '../../../pipeline/broker/protocol/types';
import { Writer } from '../../../pipeline/broker/protocol/writer';
import { arbitraryFor, grow } from '../../helpers/kafka-arbitraries';

/**
 * Property-based round trips of every API at every advertised version, requests and responses, as
 * whole frames: small random messages, then messages grown to straddle 4 KiB (the Writer's scratch
 * buffer), 64 KiB and 1 MiB.
 */
const KiB = 1024;
// 64 KiB and 1 MiB messages cost most of this file's time (building and comparing them): they are grown at
// each API's oldest and newest version, where the layouts differ most; 4 KiB at every version (the Writer's
// chunk size, where the framing bug was).
const BOUNDARIES = [
  { size: 4 * KiB, runs: 4, everyVersion: true },
  { size: 64 * KiB, runs: 1, everyVersion: false },
  { size: 1024 * KiB, runs: 1, everyVersion: false },
];

function requestFrame(api: AnyApi, version: number, correlationId: number, body: unknown): Buffer {
  const ctx = ctxFor(api, version);
  const w = new Writer();
  w.int32(0).int16(api.key).int16(version).int32(correlationId);
  nullableString.write(w, 'props', { version: 0, flexible: false });
  if (ctx.flexible) w.uvarint(0);
  (api.request as Type<unknown>).write(w, body, ctx);
  const frame = w.toBuffer();
  frame.writeInt32BE(frame.length - 4, 0);
  return frame;
}

function readRequestFrame(api: AnyApi, frame: Buffer): { correlationId: number; body: unknown } {
  expect(frame.readInt32BE(0)).toBe(frame.length - 4);
  const r = new Reader(frame, 4);
  const head = readHeaderStart(r);
  expect([head.apiKey]).toEqual([api.key]);
  const ctx = ctxFor(api, head.apiVersion);
  expect(readHeaderRest(r, ctx.flexible)).toBe('props');
  return { correlationId: head.correlationId, body: decodeRequest(api, r, ctx) };
}

function readResponseFrame(
  api: AnyApi,
  version: number,
  frame: Buffer,
): { correlationId: number; body: unknown } {
  expect(frame.readInt32BE(0)).toBe(frame.length - 4);
  const ctx = ctxFor(api, version);
  const r = new Reader(frame, 4);
  const correlationId = r.int32();
  // Response header v1 carries tags; ApiVersions always answers with header v0.
  if (ctx.flexible && api.key !== ApiVersions.key) expect(r.uvarint()).toBe(0);
  const body = (api.response as Type<unknown>).read(r, ctx);
  expect(r.remaining).toBe(0);
  return { correlationId, body };
}

function roundTrip(
  api: AnyApi,
  version: number,
  side: 'request' | 'response',
  body: unknown,
  id: number,
): number {
  const frame =
    side === 'request' ? requestFrame(api, version, id, body) : encodeResponse(api, version, id, body);
  const back = side === 'request' ? readRequestFrame(api, frame) : readResponseFrame(api, version, frame);
  expect(back.correlationId).toBe(id);
  // Node's strict deep equality is ~50x faster than toEqual on the grown messages (toEqual was 86 of this
  // file's 100 s) and stricter; toEqual runs only to explain a mismatch (or to accept one it tolerates, such
  // as an undefined property against a missing one).
  if (!isDeepStrictEqual(back.body, body)) expect(back.body).toEqual(body);
  return frame.length;
}

const seenSizes: number[] = [];

describe.each(APIS.map((api) => [api.name, api] as const))('%s round trips', (_name, api) => {
  const versions = Array.from({ length: api.maxVersion - api.minVersion + 1 }, (_, i) => api.minVersion + i);
  for (const side of ['request', 'response'] as const) {
    it.each(versions)(`${side} v%i: random, and across 4 KiB, 64 KiB and 1 MiB`, (version) => {
      {
        const ctx: Ctx = ctxFor(api, version);
        const type = (side === 'request' ? api.request : api.response) as Type<unknown>;
        const id = fc.integer({ min: -2147483648, max: 2147483647 });
        fc.assert(
          fc.property(arbitraryFor(type, ctx), id, (body, cid) => {
            roundTrip(api, version, side, body, cid);
          }),
          { numRuns: 8 },
        );
        for (const { size, runs, everyVersion } of BOUNDARIES) {
          if (!everyVersion && version !== api.minVersion && version !== api.maxVersion) continue;
          fc.assert(
            fc.property(
              arbitraryFor(type, ctx),
              fc.integer({ min: -400, max: 400 }),
              id,
              (body, offset, cid) => {
                const grown = grow(type, body, ctx, size + offset);
                if (grown === null) return; // nothing in this message can grow (e.g. Heartbeat's answer)
                seenSizes.push(roundTrip(api, version, side, grown, cid));
              },
            ),
            { numRuns: runs },
          );
        }
      }
    });
  }
});

describe('size coverage', () => {
  it('met frames on both sides of every boundary', () => {
    for (const { size } of BOUNDARIES) {
      expect(
        seenSizes.filter((n) => n < size && n > size - 1024).length,
        `just under ${size}`,
      ).toBeGreaterThan(10);
      expect(
        seenSizes.filter((n) => n >= size && n < size + 1024).length,
        `just over ${size}`,
      ).toBeGreaterThan(10);
    }
  });
});
