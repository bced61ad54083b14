import { describe, expect, it } from 'vitest';
import {
  ctxFor,
  decodeRequest,
  encodeResponse,
  readHeaderRest,
  readHeaderStart,
} from '../../../pipeline/broker/protocol/frame';
import { ApiVersions } from '../../../pipeline/broker/protocol/messages/api-versions';
import { Fetch } from '../../../pipeline/broker/protocol/messages/fetch';
import { Metadata } from '../../../pipeline/broker/protocol/messages/metadata';
import { MalformedRequestError, Reader } from '../../../pipeline/broker/protocol/reader';
import { APIS } from '../../../pipeline/broker/protocol/registry';
import type { Ctx, Type } from '../../../pipeline/broker/protocol/types';
import { Writer } from '../../../pipeline/broker/protocol/writer';

function roundTrip<T>(type: Type<T>, value: T, ctx: Ctx): T {
  const w = new Writer();
  type.write(w, value, ctx);
  const r = new Reader(w.toBuffer());
  const back = type.read(r, ctx);
  expect(r.remaining).toBe(0);
  return back;
}

describe('Kafka message codec', () => {
  it('round-trips the default message of every advertised API and version, request and response', () => {
    for (const api of APIS) {
      for (let v = api.minVersion; v <= api.maxVersion; v++) {
        const ctx = ctxFor(api, v);
        const req = api.request as Type<unknown>;
        const res = api.response as Type<unknown>;
        expect(roundTrip(req, req.zero, ctx), `${api.name} v${v} request`).toEqual(req.zero);
        expect(roundTrip(res, res.zero, ctx), `${api.name} v${v} response`).toEqual(res.zero);
      }
    }
  });

  it('reads a Metadata v1 request written byte by byte from the spec (null topics = all)', () => {
    const bytes = Buffer.from([
      0,
      3,
      0,
      1,
      0,
      0,
      0,
      7,
      0,
      3,
      0x6b,
      0x63,
      0x6c, // key 3, v1, correlation 7, client id "kcl"
      0xff,
      0xff,
      0xff,
      0xff, // topics: null
    ]);
    const r = new Reader(bytes);
    expect(readHeaderStart(r)).toEqual({ apiKey: 3, apiVersion: 1, correlationId: 7 });
    expect(readHeaderRest(r, false)).toBe('kcl');
    expect(decodeRequest(Metadata, r, ctxFor(Metadata, 1))).toEqual({
      topics: null,
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
  });

  it('reads a flexible ApiVersions v3 request (header v2, compact strings, tagged fields) as librdkafka sends it', () => {
    const bytes = Buffer.concat([
      Buffer.from([0, 18, 0, 3, 0, 0, 0, 1, 0, 7]),
      Buffer.from('rdkafka'),
      Buffer.from([0]), // header tags
      Buffer.from([11]),
      Buffer.from('librdkafka'),
      Buffer.from([6]),
      Buffer.from('2.0.2'),
      Buffer.from([1, 5, 2, 0xaa, 0xbb]), // one unknown tagged field (tag 5, 2 bytes): skipped
    ]);
    const r = new Reader(bytes);
    readHeaderStart(r);
    expect(readHeaderRest(r, true)).toBe('rdkafka');
    expect(decodeRequest(ApiVersions, r, ctxFor(ApiVersions, 3))).toEqual({
      clientSoftwareName: 'librdkafka',
      clientSoftwareVersion: '2.0.2',
    });
  });

  it('writes an ApiVersions v3 response with a v0 header and a compact body', () => {
    const frame = encodeResponse(ApiVersions, 3, 9, {
      errorCode: 0,
      apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }],
      throttleTimeMs: 0,
      supportedFeatures: [],
      finalizedFeaturesEpoch: -1,
      finalizedFeatures: [],
      zkMigrationReady: false,
    });
    expect([...frame]).toEqual([0, 0, 0, 19, 0, 0, 0, 9, 0, 0, 2, 0, 18, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0]);
  });

  it('keeps absent-in-version fields at their Kafka defaults', () => {
    const w = new Writer();
    w.int32(-1).int32(500).int32(1).int32(0); // Fetch v0: replica, maxWait, minBytes, topics []
    const req = decodeRequest(Fetch, new Reader(w.toBuffer()), ctxFor(Fetch, 0)) as {
      maxBytes: number;
      sessionEpoch: number;
    };
    expect(req.maxBytes).toBe(0x7fffffff);
    expect(req.sessionEpoch).toBe(-1);
  });

  it('refuses truncated bodies, lying lengths and trailing bytes with a MalformedRequestError', () => {
    const ctx = ctxFor(Metadata, 1);
    expect(() => decodeRequest(Metadata, new Reader(Buffer.from([0, 0, 0, 1, 0, 3, 0x61])), ctx)).toThrow(
      MalformedRequestError,
    );
    expect(() => decodeRequest(Metadata, new Reader(Buffer.from([0x7f, 0xff, 0xff, 0xff])), ctx)).toThrow(
      /array length/,
    );
    expect(() => decodeRequest(Metadata, new Reader(Buffer.from([0, 0, 0, 0, 9])), ctx)).toThrow(
      /unexpected bytes/,
    );
    expect(() => new Reader(Buffer.from([0, 1])).int32()).toThrow(/truncated/);
  });
});
