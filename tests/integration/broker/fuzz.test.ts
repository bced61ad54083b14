import fc from 'fast-check';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ctxFor,
  decodeRequest,
  readHeaderRest,
  readHeaderStart,
} from '../../../pipeline/broker/protocol/frame';
import { MalformedRequestError, Reader } from '../../../pipeline/broker/protocol/reader';
import { APIS, apiByKey, type AnyApi } from '../../../pipeline/broker/protocol/registry';
import { nullableString, type Type } from '../../../pipeline/broker/protocol/types';
import { Writer } from '../../../pipeline/broker/protocol/writer';
import { startTestBroker, type TestBroker } from '../../helpers/broker';
import { arbitraryFor } from '../../helpers/kafka-arbitraries';
import { RawKafka } from '../../helpers/raw-kafka';

/**
 * Codec fuzzing: random bytes and mutated well-formed requests of every API and version. The decoder
 * must answer each with a value or a MalformedRequestError (no RangeError, no runaway allocation); a
 * real broker fed the same frames must stay up and keep serving a real client afterwards.
 */

// Topic creation and deletion are left out of the broker run: a valid random CreateTopics makes up to
// 1,000 partition directories each, which tests the disk, not the codec.
const FUZZED = APIS.filter((api) => api.name !== 'CreateTopics' && api.name !== 'DeleteTopics');

function requestBytes(api: AnyApi, version: number, correlationId: number, body: unknown): Buffer {
  const ctx = ctxFor(api, version);
  const w = new Writer();
  w.int16(api.key).int16(version).int32(correlationId);
  nullableString.write(w, 'fuzz', { version: 0, flexible: false });
  if (ctx.flexible) w.uvarint(0);
  (api.request as Type<unknown>).write(w, body, ctx);
  return w.toBuffer();
}

/** A well-formed request of a random API and version (no size prefix). */
const wellFormed = (apis: readonly AnyApi[]) =>
  fc
    .constantFrom(...apis)
    .chain((api) =>
      fc
        .integer({ min: api.minVersion, max: api.maxVersion })
        .chain((v) =>
          fc
            .tuple(
              arbitraryFor(api.request as Type<unknown>, ctxFor(api, v)),
              fc.integer({ min: 0, max: 1e6 }),
            )
            .map(([body, id]) => requestBytes(api, v, id, body)),
        ),
    );

type Mutation =
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'lie'; at: number; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  // A length or count replaced by an extreme: -2, 0x7fffffff, a huge varint...
  fc.record({
    kind: fc.constant('lie' as const),
    at: fc.nat(),
    value: fc.constantFrom(-2, -1, 0x7fff, 0x7fffffff, -0x80000000, 0xffff),
  }),
);

function mutate(frame: Buffer, mutations: Mutation[]): Buffer {
  let out = Buffer.from(frame);
  for (const m of mutations) {
    if (out.length === 0) break;
    const at = m.at % out.length;
    if (m.kind === 'flip') out[at] = m.value;
    else if (m.kind === 'truncate') out = out.subarray(0, at);
    else if (m.kind === 'insert') out = Buffer.concat([out.subarray(0, at), m.bytes, out.subarray(at)]);
    else if (at + 4 <= out.length) out.writeInt32BE(m.value | 0, at);
  }
  return out;
}

const mutatedFrames = (apis: readonly AnyApi[]) =>
  fc.oneof(
    {
      arbitrary: fc
        .tuple(wellFormed(apis), fc.array(mutation, { minLength: 1, maxLength: 4 }))
        .map(([f, m]) => mutate(f, m)),
      weight: 6,
    },
    // Random bytes after a real API key and version, so the body decoders get garbage too.
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...apis), fc.nat(20), fc.uint8Array({ maxLength: 200 }))
        .map(([api, v, rest]) => {
          const head = Buffer.alloc(8);
          head.writeInt16BE(api.key, 0);
          head.writeInt16BE(v, 2);
          return Buffer.concat([head, rest]);
        }),
      weight: 3,
    },
    { arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)), weight: 1 },
  );

/** What the connection does with a frame, minus the handlers: decode or refuse with MalformedRequestError. */
function decodeLikeTheBroker(frame: Buffer): void {
  const r = new Reader(frame);
  const head = readHeaderStart(r);
  const api = apiByKey(head.apiKey);
  if (!api || head.apiVersion < api.minVersion || head.apiVersion > api.maxVersion) return;
  const ctx = ctxFor(api, head.apiVersion);
  readHeaderRest(r, ctx.flexible);
  decodeRequest(api, r, ctx);
}

describe('codec fuzz: the decoder', () => {
  it('decodes or refuses with MalformedRequestError every random or mutated frame', () => {
    fc.assert(
      fc.property(mutatedFrames(APIS), (frame) => {
        try {
          decodeLikeTheBroker(frame);
        } catch (err) {
          if (!(err instanceof MalformedRequestError)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('still decodes every well-formed request (the generator is not broken)', () => {
    fc.assert(
      fc.property(wellFormed(APIS), (frame) => void decodeLikeTheBroker(frame)),
      { numRuns: 300 },
    );
  });
});

describe('codec fuzz: a running broker', () => {
  let t: TestBroker & { remove: () => Promise<void> };
  beforeAll(async () => {
    t = await startTestBroker({ autoCreateTopics: false, maxFrameBytes: 1024 * 1024 });
  });
  afterAll(async () => t.remove());

  it('survives random and mutated frames on many connections, then serves kafkajs', async () => {
    const frames = fc.sample(mutatedFrames(FUZZED), { numRuns: 1500, seed: 12 });
    const open: RawKafka[] = [];
    try {
      for (let i = 0; i < frames.length; i += 25) {
        // 25 frames per connection, back to back, as a pipelining client sends them.
        const raw = await RawKafka.open(t.port);
        open.push(raw);
        for (const frame of frames.slice(i, i + 25)) {
          const size = Buffer.alloc(4);
          size.writeInt32BE(frame.length);
          raw.write(Buffer.concat([size, frame]));
        }
      }
      // Each connection is answered or closed; a frame that never completes (size beyond the bytes
      // sent) just waits, like a slow client, until we hang up.
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      for (const raw of open) raw.close();
    }
    const internal = t.logs.filter((l) => l.startsWith('error:'));
    expect(internal).toEqual([]);
    expect(t.logs.some((l) => l.includes('malformed'))).toBe(true);

    const kafka = new Kafka({ brokers: [t.bootstrap], logLevel: logLevel.NOTHING, clientId: 'after-fuzz' });
    const admin = kafka.admin();
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: 'after-fuzz', maxWaitTimeInMs: 100 });
    try {
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'after-fuzz', numPartitions: 2 }] });
      await producer.connect();
      await producer.send({
        topic: 'after-fuzz',
        messages: Array.from({ length: 50 }, (_, i) => ({ value: `m${i}` })),
      });
      await consumer.connect();
      await consumer.subscribe({ topic: 'after-fuzz', fromBeginning: true });
      const seen: string[] = [];
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
      const end = Date.now() + 30_000;
      while (seen.length < 50 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(seen.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`).sort());
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
  });
});
