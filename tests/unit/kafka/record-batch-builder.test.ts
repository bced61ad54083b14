import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeRecords } from '../../../pipeline/broker/records/decode-records';
import { validateBatch } from '../../../pipeline/broker/records/record-batch';
import { compression } from '../../../pipeline/kafka/compression';
import { murmur2, partitionOf } from '../../../pipeline/kafka/murmur2';
import { Lineage, RecordBatchBuilder } from '../../../pipeline/kafka/record-batch-builder';

const kafkajsMurmur2 = createRequire(import.meta.url)(
  'kafkajs/src/producer/partitioners/default/murmur2.js',
) as (key: string | Buffer) => number;

describe('murmur2 (the default partitioner)', () => {
  it('hashes like kafkajs (and so the Java client) for ASCII and non-ASCII keys of every tail length', () => {
    const keys = ['', 'a', 'ab', 'abc', 'abcd', '512345678', 'user-ü-€', '🦀 key', 'x'.repeat(101)];
    for (let i = 0; i < 300; i++) keys.push(String(500_000_000 + i * 7919));
    for (const key of keys) expect(murmur2(key), key).toBe(kafkajsMurmur2(key));
    expect(partitionOf('512345678', 3)).toBe((kafkajsMurmur2('512345678') & 0x7fffffff) % 3);
  });
});

describe('RecordBatchBuilder', () => {
  // Lengths either side of the varint width steps (64, 8192 bytes) and of the 3-bytes-per-char guess.
  const values: (string | null)[] = [
    '',
    null,
    'v',
    'x'.repeat(21),
    'x'.repeat(22),
    'x'.repeat(63),
    'x'.repeat(64),
    'é'.repeat(40),
    'x'.repeat(8191),
    'x'.repeat(8192),
    '€'.repeat(3000),
    JSON.stringify({ event_type: 'view', brand: 'samsung', price: '489.07' }),
  ];

  it('frames records that the broker validates (CRC-32C, lengths) and decodes back exactly', () => {
    for (const codec of ['none', 'gzip'] as const) {
      const b = new RecordBatchBuilder(64);
      const lineage = new Lineage('events.csv@0123456789ab');
      values.forEach((v, i) => b.appendWithLineage(i % 3 === 0 ? null : `key-${i}`, v, lineage, i * 997));
      b.append('dlq', 'bad row', [
        ['clickpulse.reason', 'price is not a number: abc'],
        ['ü', ''],
      ]);
      const batch = b.seal(42, 3, 1000, compression(codec) ?? undefined);
      const checked = validateBatch(batch);
      expect(checked.ok, JSON.stringify(checked)).toBe(true);
      if (!checked.ok) return;
      expect(checked.header).toMatchObject({
        producerId: 42,
        producerEpoch: 3,
        baseSequence: 1000,
        recordsCount: values.length + 1,
        lastOffsetDelta: values.length,
        attributes: codec === 'gzip' ? 1 : 0,
      });
      const { records } = decodeRecords(batch);
      expect(records).toHaveLength(values.length + 1);
      values.forEach((v, i) => {
        const r = records[i];
        expect(r?.offset).toBe(i);
        expect(r?.key?.toString() ?? null).toBe(i % 3 === 0 ? null : `key-${i}`);
        expect(r?.value?.toString() ?? null).toBe(v);
        expect(r?.headers.map((h) => [h.key, h.value?.toString()])).toEqual([
          ['clickpulse.source', 'events.csv@0123456789ab'],
          ['clickpulse.row', String(i * 997)],
        ]);
      });
      expect(records.at(-1)?.headers.map((h) => [h.key, h.value?.toString()])).toEqual([
        ['clickpulse.reason', 'price is not a number: abc'],
        ['ü', ''],
      ]);
    }
  });

  it('starts empty after sealing, and never reuses the bytes of a batch it handed out', () => {
    const b = new RecordBatchBuilder();
    const lineage = new Lineage('s');
    b.appendWithLineage('k', 'first', lineage, 1);
    const first = b.seal(1, 0, 0);
    const copy = Buffer.from(first);
    b.appendWithLineage('k', 'second', lineage, 2);
    const second = b.seal(1, 0, 1);
    expect(first.equals(copy)).toBe(true);
    expect(decodeRecords(second).records.map((r) => r.value?.toString())).toEqual(['second']);
    expect(b.count).toBe(0);
  });
});
