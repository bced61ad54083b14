import { describe, expect, it } from 'vitest';
import { Reader } from '../../../pipeline/broker/protocol/reader';
import { Writer } from '../../../pipeline/broker/protocol/writer';

describe('response Writer', () => {
  it('keeps every value exact across its 4 KiB scratch boundaries (fixed-width, varint, int64, raw runs; large runs rarely enough that the scratch fills)', () => {
    const w = new Writer();
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      w.int8(i % 128)
        .int16(i % 30_000)
        .int32(i * 7 - 50_000)
        .uvarint(i * 131)
        .int64(i * 1_000_003 - 1e9);
      if (i % 997 === 0) w.raw(Buffer.alloc(300 + (i % 50), i % 251));
      if (i % 13 === 0) w.raw(Buffer.from([i % 256, (i >> 8) % 256, 7]));
    }
    const buf = w.toBuffer();
    expect(buf.length).toBe(w.length);
    const r = new Reader(buf);
    for (let i = 0; i < n; i++) {
      expect(r.int8(), `int8 #${i}`).toBe(i % 128);
      expect(r.int16(), `int16 #${i}`).toBe(i % 30_000);
      expect(r.int32(), `int32 #${i}`).toBe(i * 7 - 50_000);
      expect(r.uvarint(), `uvarint #${i}`).toBe(i * 131);
      expect(r.int64(), `int64 #${i}`).toBe(i * 1_000_003 - 1e9);
      if (i % 997 === 0)
        expect(r.bytes(300 + (i % 50)).equals(Buffer.alloc(300 + (i % 50), i % 251))).toBe(true);
      if (i % 13 === 0) expect([...r.bytes(3)]).toEqual([i % 256, (i >> 8) % 256, 7]);
    }
    expect(r.remaining).toBe(0);
  });
});
