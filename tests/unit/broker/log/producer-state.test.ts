import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogConfig } from '../../../../pipeline/broker/log/partition-log';
import { PartitionLog } from '../../../../pipeline/broker/log/partition-log';
import { ProducerState, lastSequence } from '../../../../pipeline/broker/log/producer-state';
import { buildValuesBatch, decodeRecords } from '../../../helpers/record-batches';
import { tempDir } from '../../../helpers/temp';

const SMALL: Partial<LogConfig> = {
  segmentBytes: 2048,
  indexIntervalBytes: 256,
  retentionBytes: -1,
  retentionMs: -1,
};
const INT32_MAX = 2 ** 31 - 1;

let dir: { path: string; remove: () => Promise<void> };
const open: PartitionLog[] = [];

function openLog(): PartitionLog {
  const log = PartitionLog.open(join(dir.path, 'topic-0'), SMALL);
  open.push(log);
  return log;
}

/** A 3-record idempotent batch. */
function batch(producerEpoch: number, baseSequence: number, producerId = 1000, count = 3): Buffer {
  return buildValuesBatch(`p${producerId}e${producerEpoch}s${baseSequence}`, count, {
    producerId,
    producerEpoch,
    baseSequence,
  });
}

beforeEach(async () => {
  dir = await tempDir('clickpulse-producer-');
});

afterEach(async () => {
  for (const log of open.splice(0)) log.close();
  await dir.remove();
});

describe('idempotent producer state', () => {
  it('does not append a retried batch twice and answers with the original offset', () => {
    const log = openLog();
    expect(log.append(batch(0, 0))).toEqual({ ok: true, baseOffset: 0, logAppendTimeMs: -1 });
    expect(log.append(batch(0, 3))).toMatchObject({ ok: true, baseOffset: 3 });
    expect(log.append(batch(0, 0))).toEqual({
      ok: true,
      baseOffset: 0,
      logAppendTimeMs: -1,
      duplicate: true,
    });
    expect(log.append(batch(0, 3))).toMatchObject({ ok: true, baseOffset: 3, duplicate: true });
    expect(log.logEndOffset).toBe(6);
    expect(decodeRecords(log.read(0, 1 << 20))).toHaveLength(6);
  });

  it('remembers only the last 5 batches of a producer', () => {
    const log = openLog();
    for (let i = 0; i < 7; i++) log.append(batch(0, i * 3));
    expect(log.producerEntry(1000)?.batches).toHaveLength(5);
    expect(log.append(batch(0, 6))).toMatchObject({ ok: true, baseOffset: 6, duplicate: true });
    // Too old to be recognised: it is just out of order now.
    expect(log.append(batch(0, 0))).toMatchObject({ ok: false, error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
  });

  it('refuses a gap or overlap in the sequence', () => {
    const log = openLog();
    log.append(batch(0, 0));
    expect(log.append(batch(0, 10))).toMatchObject({
      ok: false,
      error: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
      message: /expected sequence 3, got 10/,
    });
    expect(log.append(batch(0, 1))).toMatchObject({ ok: false, error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(log.logEndOffset).toBe(3);
  });

  it('fences an older epoch and makes a new epoch start at sequence 0', () => {
    const log = openLog();
    log.append(batch(0, 0));
    expect(log.append(batch(1, 3))).toMatchObject({ ok: false, error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(log.append(batch(1, 0))).toMatchObject({ ok: true, baseOffset: 3 });
    expect(log.append(batch(0, 3))).toMatchObject({ ok: false, error: 'INVALID_PRODUCER_EPOCH' });
    expect(log.logEndOffset).toBe(6);
  });

  it('does not check batches without a producer id', () => {
    const log = openLog();
    const plain = buildValuesBatch('plain', 2);
    expect(log.append(plain)).toMatchObject({ ok: true, baseOffset: 0 });
    expect(log.append(plain)).toMatchObject({ ok: true, baseOffset: 2 });
  });

  it('keeps producers apart', () => {
    const log = openLog();
    log.append(batch(0, 0, 1));
    log.append(batch(0, 0, 2));
    expect(log.append(batch(0, 3, 1))).toMatchObject({ ok: true, baseOffset: 6 });
    expect(log.append(batch(0, 0, 2))).toMatchObject({ ok: true, baseOffset: 3, duplicate: true });
  });

  it('checks the batches of one append in order and appends none when one fails', () => {
    const log = openLog();
    expect(log.append(Buffer.concat([batch(0, 0), batch(0, 3)]))).toMatchObject({ ok: true, baseOffset: 0 });
    expect(log.append(Buffer.concat([batch(0, 6), batch(0, 99)]))).toMatchObject({
      ok: false,
      error: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
    });
    expect(log.logEndOffset).toBe(6);
    expect(log.append(batch(0, 6))).toMatchObject({ ok: true, baseOffset: 6 });
  });

  it('rebuilds the state from the log on reopen', () => {
    const log = openLog();
    for (let i = 0; i < 30; i++) log.append(batch(2, i * 3));
    expect(log.segmentCount).toBeGreaterThan(1);
    log.close();
    const reopened = openLog();
    expect(reopened.append(batch(2, 87))).toMatchObject({ ok: true, baseOffset: 87, duplicate: true });
    expect(reopened.append(batch(2, 99))).toMatchObject({ ok: false, error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(reopened.append(batch(1, 0))).toMatchObject({ ok: false, error: 'INVALID_PRODUCER_EPOCH' });
    expect(reopened.append(batch(2, 90))).toMatchObject({ ok: true, baseOffset: 90 });
  });

  it('wraps sequences at int32 max', () => {
    expect(lastSequence(INT32_MAX - 1, 2)).toBe(0);
    expect(lastSequence(INT32_MAX, 0)).toBe(INT32_MAX);
    const state = new ProducerState();
    state.record({ producerId: 5, producerEpoch: 0, baseSequence: INT32_MAX - 1, lastOffsetDelta: 2 }, 0);
    expect(state.check([{ producerId: 5, producerEpoch: 0, baseSequence: 1, lastOffsetDelta: 0 }])).toEqual({
      kind: 'append',
    });
    expect(
      state.check([{ producerId: 5, producerEpoch: 0, baseSequence: 0, lastOffsetDelta: 0 }]),
    ).toMatchObject({
      kind: 'error',
    });
    state.record({ producerId: 6, producerEpoch: 0, baseSequence: INT32_MAX, lastOffsetDelta: 0 }, 0);
    expect(state.check([{ producerId: 6, producerEpoch: 0, baseSequence: 0, lastOffsetDelta: 4 }])).toEqual({
      kind: 'append',
    });
  });

  it('accepts any first sequence from a producer it has no state for, as Kafka does', () => {
    const state = new ProducerState();
    expect(state.check([{ producerId: 9, producerEpoch: 3, baseSequence: 500, lastOffsetDelta: 0 }])).toEqual(
      {
        kind: 'append',
      },
    );
  });
});
