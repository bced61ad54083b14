import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../helpers/broker';
import { RawKafka } from '../../helpers/raw-kafka';
import { buildMagicOneMessage, buildValuesBatch } from '../../helpers/record-batches';

// Every case sends bytes no well-behaved client sends; the broker must answer with the protocol's
// error or close that one connection, keep serving everyone else, and lose nothing it acknowledged.
let t: TestBroker & { remove: () => Promise<void> };
let kafka: Kafka;
const MAX_FRAME = 1024 * 1024;

beforeAll(async () => {
  t = await startTestBroker({ maxFrameBytes: MAX_FRAME });
  kafka = new Kafka({ brokers: [t.bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'safe', numPartitions: 1 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: 'safe',
    messages: Array.from({ length: 100 }, (_, i) => ({ value: `ack-${i}` })),
  });
  await producer.disconnect();
});
afterAll(async () => t.remove());

/** The acknowledged messages are all still there, and a fresh client is served normally. */
async function brokerStillWhole(): Promise<void> {
  const consumer = kafka.consumer({ groupId: `check-${Math.random()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'safe', fromBeginning: true });
  const values: string[] = [];
  await consumer.run({
    eachMessage: async ({ message }) => void values.push(message.value?.toString() ?? ''),
  });
  const end = Date.now() + 20_000;
  while (values.length < 100 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  await consumer.disconnect();
  expect(values.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => `ack-${i}`));
}

function produceBody(topic: string, records: Buffer, acks = -1): Buffer {
  const name = Buffer.from(topic);
  const head = Buffer.alloc(2 + 2 + 4 + 4 + 2);
  head.writeInt16BE(-1, 0); // transactional id: null
  head.writeInt16BE(acks, 2);
  head.writeInt32BE(5000, 4);
  head.writeInt32BE(1, 8); // one topic
  head.writeInt16BE(name.length, 12);
  const part = Buffer.alloc(4 + 4 + 4);
  part.writeInt32BE(1, 0); // one partition
  part.writeInt32BE(0, 4); // partition 0
  part.writeInt32BE(records.length, 8);
  return Buffer.concat([head, name, part, records]);
}

/** errorCode and baseOffset of the first partition of a Produce v3+ response frame. */
function produceAnswer(frame: Buffer): { errorCode: number; baseOffset: number } {
  const nameLength = frame.readInt16BE(8);
  const at = 10 + nameLength + 4 + 4;
  return { errorCode: frame.readInt16BE(at), baseOffset: Number(frame.readBigInt64BE(at + 2)) };
}

describe('the broker under bad input', () => {
  it('closes a connection whose frame is over the size limit, without reading it', async () => {
    const raw = await RawKafka.open(t.port);
    const size = Buffer.alloc(4);
    size.writeInt32BE(MAX_FRAME + 1);
    raw.write(size);
    expect(await raw.next()).toBeNull();
    expect(t.logs.some((l) => l.includes(`over the ${MAX_FRAME}-byte limit`))).toBe(true);
  });

  it('closes a connection sending a negative or tiny frame size', async () => {
    for (const n of [-5, 3]) {
      const raw = await RawKafka.open(t.port);
      const size = Buffer.alloc(4);
      size.writeInt32BE(n);
      raw.write(size);
      expect(await raw.next()).toBeNull();
    }
  });

  it('closes a connection on an unknown API key or an unsupported version', async () => {
    const unknown = await RawKafka.open(t.port);
    expect(await unknown.request(99, 0, Buffer.alloc(0))).toBeNull();
    const tooNew = await RawKafka.open(t.port);
    expect(await tooNew.request(3, 13, Buffer.alloc(4))).toBeNull();
    expect(t.logs.some((l) => l.includes('unknown API key 99'))).toBe(true);
    expect(t.logs.some((l) => l.includes('Metadata v13 is not supported'))).toBe(true);
  });

  it('answers an ApiVersions version it does not know with UNSUPPORTED_VERSION and its range, as Kafka does', async () => {
    const raw = await RawKafka.open(t.port);
    const frame = await raw.request(18, 9, Buffer.alloc(0), 42);
    expect(frame).not.toBeNull();
    const f = frame as Buffer;
    expect(f.readInt32BE(0)).toBe(42);
    expect(f.readInt16BE(4)).toBe(35);
    expect([f.readInt32BE(6), f.readInt16BE(10), f.readInt16BE(12), f.readInt16BE(14)]).toEqual([
      1, 18, 0, 4,
    ]);
    // The connection stays usable: ApiVersions v0 now works.
    const v0 = (await raw.request(18, 0, Buffer.alloc(0), 43)) as Buffer;
    expect(v0.readInt16BE(4)).toBe(0);
    raw.close();
  });

  it('closes a connection whose request body is malformed (truncated or lying about lengths)', async () => {
    const truncated = await RawKafka.open(t.port);
    expect(await truncated.request(3, 1, Buffer.from([0, 0, 0, 2, 0, 9, 0x61]))).toBeNull();
    const lying = await RawKafka.open(t.port);
    expect(await lying.request(3, 1, Buffer.from([0x7f, 0xff, 0xff, 0xff]))).toBeNull();
    const header = await RawKafka.open(t.port);
    header.write(Buffer.from([0, 0, 0, 8, 0, 3, 0, 1, 0, 0, 0, 1])); // header cut before the client id
    expect(await header.next()).toBeNull();
    expect(t.logs.some((l) => l.includes('malformed Metadata v1 request'))).toBe(true);
  });

  it('survives a client that vanishes mid-request or mid-long-poll', async () => {
    const half = await RawKafka.open(t.port);
    const frame = RawKafka.frame(0, 7, 1, produceBody('safe', buildValuesBatch('lost', 3)));
    half.write(frame.subarray(0, frame.length - 10));
    half.close();
    const polling = await RawKafka.open(t.port);
    const fetchBody = Buffer.alloc(4 + 4 + 4);
    fetchBody.writeInt32BE(-1, 0);
    fetchBody.writeInt32BE(10_000, 4); // max wait
    fetchBody.writeInt32BE(1, 8); // min bytes
    polling.write(RawKafka.frame(1, 0, 1, Buffer.concat([fetchBody, Buffer.from([0, 0, 0, 0])])));
    polling.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(t.broker.topics().find((x) => x.name === 'safe')?.messages).toBe(100);
  });

  it('refuses a corrupt batch and a magic-1 message set with the protocol error, appending nothing', async () => {
    const raw = await RawKafka.open(t.port);
    const corrupt = buildValuesBatch('bad', 2);
    corrupt.writeUInt8((corrupt.at(-1) ?? 0) ^ 0xff, corrupt.length - 1);
    expect(produceAnswer((await raw.request(0, 7, produceBody('safe', corrupt))) as Buffer).errorCode).toBe(
      2,
    );
    const legacy = buildMagicOneMessage('old');
    expect(produceAnswer((await raw.request(0, 7, produceBody('safe', legacy))) as Buffer).errorCode).toBe(
      43,
    );
    const badAcks = produceAnswer(
      (await raw.request(0, 7, produceBody('safe', buildValuesBatch('x', 1), 2))) as Buffer,
    );
    expect(badAcks.errorCode).toBe(21);
    expect(t.broker.topics().find((x) => x.name === 'safe')?.messages).toBe(100);
    raw.close();
  });

  it('keeps serving other clients and every acknowledged message', async () => {
    await brokerStillWhole();
  });
});

describe('the idempotent producer', () => {
  it('does not append a retried batch twice and refuses an out-of-order one', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'idem-raw', numPartitions: 1 }] });
    await admin.disconnect();
    const raw = await RawKafka.open(t.port);
    const init = (await raw.request(22, 1, Buffer.from([0xff, 0xff, 0, 0, 0x27, 0x10]))) as Buffer;
    expect(init.readInt16BE(8)).toBe(0);
    const producerId = Number(init.readBigInt64BE(10));
    const batch = (seq: number) =>
      buildValuesBatch(`s${seq}`, 3, { producerId, producerEpoch: 0, baseSequence: seq });
    const send = async (seq: number) =>
      produceAnswer((await raw.request(0, 7, produceBody('idem-raw', batch(seq)))) as Buffer);
    expect(await send(0)).toEqual({ errorCode: 0, baseOffset: 0 });
    expect(await send(0)).toEqual({ errorCode: 0, baseOffset: 0 }); // the retry: same answer, not appended
    expect((await send(5)).errorCode).toBe(45); // OUT_OF_ORDER_SEQUENCE_NUMBER
    expect(await send(3)).toEqual({ errorCode: 0, baseOffset: 3 });
    expect(t.broker.topics().find((x) => x.name === 'idem-raw')?.messages).toBe(6);
    raw.close();
  });
});
