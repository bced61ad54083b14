/**
 * Messages between the browser bridge and the renderer. Most are JSON text; a message that carries
 * bytes (Arrow IPC pages, exported files) travels as one binary frame instead of base64:
 *   uint32 LE json length | json (Uint8Array values replaced by {"$bytes": index}) | for each: uint32 LE length | bytes
 * Browser-safe: only TextEncoder, TextDecoder and DataView.
 */

export type WireClientMessage = { id: number; call: string; payload: unknown };
export type WireServerMessage =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: unknown }
  | { event: string; payload: unknown };

const BYTES_KEY = '$bytes';

export function encodeWire(message: unknown): string | Uint8Array {
  const blobs: Uint8Array[] = [];
  const json = JSON.stringify(message, (_key, value: unknown) => {
    if (value instanceof Uint8Array) {
      blobs.push(value);
      return { [BYTES_KEY]: blobs.length - 1 };
    }
    return value;
  });
  if (blobs.length === 0) return json;
  const head = new TextEncoder().encode(json);
  const total = 4 + head.length + blobs.reduce((n, b) => n + 4 + b.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, head.length, true);
  out.set(head, 4);
  let at = 4 + head.length;
  for (const blob of blobs) {
    view.setUint32(at, blob.length, true);
    out.set(blob, at + 4);
    at += 4 + blob.length;
  }
  return out;
}

export function decodeWire(data: string | Uint8Array): unknown {
  if (typeof data === 'string') return JSON.parse(data);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.byteLength < 4) throw new Error('Truncated binary message');
  const headLength = view.getUint32(0, true);
  if (4 + headLength > data.byteLength) throw new Error('Truncated binary message header');
  const blobs: Uint8Array[] = [];
  let at = 4 + headLength;
  while (at < data.byteLength) {
    if (at + 4 > data.byteLength) throw new Error('Truncated binary message body');
    const length = view.getUint32(at, true);
    if (at + 4 + length > data.byteLength) throw new Error('Truncated binary message body');
    blobs.push(data.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  const json = new TextDecoder().decode(data.subarray(4, 4 + headLength));
  return JSON.parse(json, (_key, value: unknown) => {
    if (value && typeof value === 'object' && BYTES_KEY in value) {
      const index = (value as Record<string, unknown>)[BYTES_KEY];
      if (typeof index === 'number' && blobs[index]) return blobs[index];
    }
    return value;
  });
}
