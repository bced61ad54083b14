import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { BronzeWriter } from '../../../pipeline/stream/bronze-writer';
import { buildBatch } from '../../helpers/record-batches';
import { tempDir } from '../../helpers/temp';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Row {
  offset: bigint;
  key: string | null;
  value: Buffer | null;
  headers: { key: string; value: string }[];
  kafka_timestamp: Date;
}

async function bronzeRows(lake: string): Promise<Row[]> {
  const duck = await DuckDBInstance.create(':memory:');
  const db = await duck.connect();
  try {
    const reader = await db.runAndReadAll(
      `SELECT "offset", "key", "value", map_entries(headers) AS headers, kafka_timestamp
       FROM read_parquet('${join(lake, 'bronze', 't', '**', '*.parquet')}') ORDER BY "offset"`,
    );
    return reader.getRowObjectsJS() as unknown as Row[];
  } finally {
    db.closeSync();
    duck.closeSync();
  }
}

async function openWriter(flushRows = 1000) {
  const dir = await tempDir('clickpulse-bronze-writer-');
  cleanups.push(dir.remove);
  const writer = await BronzeWriter.open(dir.path, 't', { flushRows, flushMs: 60_000 });
  cleanups.push(() => writer.close());
  return { lake: dir.path, writer };
}

describe("the Bronze writer, taking a partition's messages as one block", () => {
  it('keeps plain JSON values, keys, headers and timestamps byte for byte, and drops redeliveries', async () => {
    const { lake, writer } = await openWriter();
    const value = (i: number) => Buffer.from(JSON.stringify({ i, s: `é "q" \\x41 ${i}` }));
    for (let i = 0; i < 5; i++) {
      writer.add(
        0,
        i,
        1_700_000_000_000 + i,
        Buffer.from(`k${i}`),
        { source: 'a.csv', row: String(i) },
        value(i),
      );
    }
    await writer.flush(true);
    // A redelivery of offsets 3..6: only 5 and 6 are new.
    for (let i = 3; i < 7; i++) {
      writer.add(
        0,
        i,
        1_700_000_000_000 + i,
        Buffer.from(`k${i}`),
        { source: 'a.csv', row: String(i) },
        value(i),
      );
    }
    await writer.flush(true);
    const rows = await bronzeRows(lake);
    expect(rows.map((r) => Number(r.offset))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(rows[4]).toEqual({
      offset: 4n,
      key: 'k4',
      value: value(4),
      headers: [
        { key: 'source', value: 'a.csv' },
        { key: 'row', value: '4' },
      ],
      kafka_timestamp: new Date(1_700_000_000_004),
    });
    expect(writer.manifest.ranges().map((r) => [r.first, r.last])).toEqual([
      [0, 4],
      [5, 6],
    ]);
  });

  it('keeps values the text framing cannot carry (newlines, separators, not UTF-8, empty, null) exactly', async () => {
    const { lake, writer } = await openWriter();
    const awkward: (Buffer | null)[] = [
      Buffer.from('line one\nline two'),
      Buffer.from([0x61, 0x1f, 0x62]),
      Buffer.from([0x02]),
      Buffer.alloc(0),
      null,
      Buffer.from('{"ok":true}'),
    ];
    awkward.forEach((v, i) =>
      writer.add(
        1,
        10 + i,
        1_700_000_000_000,
        i === 4 ? null : Buffer.from(`k${i}`),
        { h: i === 1 ? 'x\ny' : 'v' },
        v,
      ),
    );
    // Not UTF-8: DuckDB refuses the text block, which is then rewritten hex-encoded.
    writer.add(1, 16, 1_700_000_000_000, Buffer.from('k6'), {}, Buffer.from([0xff, 0xfe, 0x41]));
    await writer.flush(true);
    const rows = await bronzeRows(lake);
    expect(rows.map((r) => r.value)).toEqual([...awkward, Buffer.from([0xff, 0xfe, 0x41])]);
    expect(rows.map((r) => r.key)).toEqual(['k0', 'k1', 'k2', 'k3', null, 'k5', 'k6']);
    expect(rows[1]?.headers).toEqual([{ key: 'h', value: 'x\ny' }]);
    expect(rows[6]?.headers).toEqual([]);
  });

  it('keeps headers exactly whether a block holds only replay lineage headers or not', async () => {
    const { lake, writer } = await openWriter();
    const source = { key: 'clickpulse.source', value: 'events.csv@1a2b3c4d' };
    const lineage = (i: number) => [source, { key: 'clickpulse.row', value: String(i + 1) }];
    // Partition 0: replayed rows only (the block takes the constant-keys path).
    const replayed = buildBatch(
      Array.from({ length: 4 }, (_, i) => ({ key: `u${i}`, value: `{"i":${i}}`, headers: lineage(i) })),
    );
    // Partition 1: the same keys in the other order, an extra header, none, a lookalike key.
    const mixed = buildBatch(
      [
        { key: 'a', value: '{}', headers: [...lineage(0)].reverse() },
        { key: 'b', value: '{}', headers: [...lineage(1), { key: 'x', value: 'y' }] },
        { key: 'c', value: '{}', headers: [] },
        { key: 'd', value: '{}', headers: [source, { key: 'clickpulse.rox', value: '4' }] },
      ],
      { baseOffset: 10 },
    );
    expect(writer.addRecords(0, replayed).added).toBe(4);
    expect(writer.addRecords(1, mixed).added).toBe(4);
    await writer.flush(true);
    const rows = await bronzeRows(lake);
    expect(rows.slice(0, 4).map((r) => r.headers)).toEqual([0, 1, 2, 3].map(lineage));
    expect(rows.slice(4).map((r) => r.headers)).toEqual([
      [...lineage(0)].reverse(),
      [...lineage(1), { key: 'x', value: 'y' }],
      [],
      [source, { key: 'clickpulse.rox', value: '4' }],
    ]);
  });

  it('moves a large block to its text file as it fills, keeps it exact (hex fallback included), and drops a forgotten one', async () => {
    const { lake, writer } = await openWriter(100_000);
    const files = (p: number) => readdirSync(join(lake, 'bronze', 't', `partition=${p}`));
    // ~6 MB of values: past the 4 MB a block keeps in memory, so its first rows are in the text file.
    const value = (i: number) => Buffer.from(JSON.stringify({ i, pad: 'x'.repeat(2000) }));
    for (let i = 0; i < 3000; i++) writer.add(0, i, 1_700_000_000_000, Buffer.from(`k${i}`), {}, value(i));
    expect(files(0).filter((f) => f.endsWith('.rows.tmp'))).toHaveLength(1);
    // Not UTF-8, after the spill: DuckDB refuses the block, which is read back from the file and hex-encoded.
    writer.add(0, 3000, 1_700_000_000_000, Buffer.from('k3000'), {}, Buffer.from([0xff, 0xfe]));
    // Partition 1 spills too, then is handed to another consumer: its rows and text file are dropped.
    for (let i = 0; i < 2500; i++) writer.add(1, i, 1_700_000_000_000, null, {}, value(i));
    expect(files(1)).toHaveLength(1);
    writer.forget([1]);
    expect(files(1)).toEqual([]);
    await writer.flush(true);
    const rows = await bronzeRows(lake);
    expect(rows).toHaveLength(3001);
    expect(rows.slice(0, 3000).every((r, i) => r.value?.equals(value(i)) && r.key === `k${i}`)).toBe(true);
    expect(rows[3000]?.value).toEqual(Buffer.from([0xff, 0xfe]));
    expect(files(0)).toEqual([`${String(0).padStart(20, '0')}-${String(3000).padStart(20, '0')}.parquet`]);
    // The next block reuses the partition's buffer and starts a text file of its own.
    for (let i = 3001; i < 3011; i++) writer.add(0, i, 1_700_000_000_000, Buffer.from(`k${i}`), {}, value(i));
    await writer.flush(true);
    expect((await bronzeRows(lake)).map((r) => Number(r.offset)).slice(-11)).toEqual(
      Array.from({ length: 11 }, (_, i) => 3000 + i),
    );
    expect(files(0).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
