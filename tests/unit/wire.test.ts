import { describe, expect, it } from 'vitest';
import { decodeWire, encodeWire } from '../../pipeline/contract';

describe('bridge wire format', () => {
  it('sends plain messages as JSON text', () => {
    const encoded = encodeWire({ id: 1, call: 'app.info', payload: {} });
    expect(typeof encoded).toBe('string');
    expect(decodeWire(encoded)).toEqual({ id: 1, call: 'app.info', payload: {} });
  });

  it('carries byte arrays in one binary frame, not base64', () => {
    const page = new Uint8Array([1, 2, 3, 250]);
    const other = new Uint8Array(0);
    const encoded = encodeWire({ id: 7, ok: true, value: { page, nested: [other], rows: 2 } });
    expect(encoded).toBeInstanceOf(Uint8Array);
    const decoded = decodeWire(encoded) as {
      value: { page: Uint8Array; nested: Uint8Array[]; rows: number };
    };
    expect(Array.from(decoded.value.page)).toEqual([1, 2, 3, 250]);
    expect(decoded.value.nested[0]).toHaveLength(0);
    expect(decoded.value.rows).toBe(2);
  });

  it('rejects truncated binary frames with a clear error', () => {
    const encoded = encodeWire({ bytes: new Uint8Array([9, 9, 9]) }) as Uint8Array;
    expect(() => decodeWire(encoded.subarray(0, encoded.length - 1))).toThrow(/Truncated/);
    expect(() => decodeWire(new Uint8Array([1]))).toThrow(/Truncated/);
  });
});
