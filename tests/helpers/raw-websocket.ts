import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** One WebSocket frame, built by hand so a test can break the protocol on purpose. */
export function wsFrame(
  opcode: number,
  payload: Buffer,
  options: { fin?: boolean; rsv1?: boolean; masked?: boolean; claimedLength?: number } = {},
): Buffer {
  const { fin = true, rsv1 = false, masked = true } = options;
  const length = options.claimedLength ?? payload.length;
  const first = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (opcode & 0x0f);
  const maskBit = masked ? 0x80 : 0;
  let header: Buffer;
  if (length < 126) header = Buffer.from([first, maskBit | length]);
  else if (length < 65536) {
    header = Buffer.alloc(4);
    header.writeUInt8(first, 0);
    header.writeUInt8(maskBit | 126, 1);
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(first, 0);
    header.writeUInt8(maskBit | 127, 1);
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] = (body[i] ?? 0) ^ (mask[i % 4] ?? 0);
  return Buffer.concat([header, mask, body]);
}

export interface RawWebSocket {
  socket: Socket;
  send(bytes: Buffer): void;
  /** Resolves with the server's close frame (code and reason), or code 0 when the socket ended without one. */
  closed: Promise<{ code: number; reason: string }>;
}

/** A bare TCP client that performs the WebSocket handshake itself, then sends whatever bytes it is told. */
export function rawWebSocket(port: number, path: string): Promise<RawWebSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buffered = Buffer.alloc(0);
    let upgraded = false;
    let resolveClosed: (value: { code: number; reason: string }) => void = () => undefined;
    const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));
    socket.on('error', () => undefined); // the server may reset the connection; `closed` still settles
    socket.on('close', () => {
      if (!upgraded) reject(new Error(`handshake failed: ${buffered.toString('latin1').split('\r\n')[0]}`));
      resolveClosed(parseClose(buffered));
    });
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (upgraded) return;
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffered.subarray(0, end).toString('latin1');
      if (!head.startsWith('HTTP/1.1 101')) return socket.destroy();
      upgraded = true;
      buffered = buffered.subarray(end + 4);
      resolve({ socket, send: (bytes) => socket.write(bytes), closed });
    });
    socket.once('connect', () =>
      socket.write(
        [
          `GET ${path} HTTP/1.1`,
          `Host: 127.0.0.1:${port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          '',
          '',
        ].join('\r\n'),
      ),
    );
  });
}

/** The first close frame among the server's frames (it sends no others to a client that makes no calls). */
function parseClose(bytes: Buffer): { code: number; reason: string } {
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = (bytes[at] ?? 0) & 0x0f;
    let length = (bytes[at + 1] ?? 0) & 0x7f;
    let start = at + 2;
    if (length === 126) {
      length = bytes.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      length = Number(bytes.readBigUInt64BE(start));
      start += 8;
    }
    if (opcode === 0x8) {
      const body = bytes.subarray(start, start + length);
      return { code: body.length >= 2 ? body.readUInt16BE(0) : 0, reason: body.subarray(2).toString('utf8') };
    }
    at = start + length;
  }
  return { code: 0, reason: '' };
}
