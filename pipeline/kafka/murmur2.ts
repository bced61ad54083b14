/**
 * Kafka's default partitioner hash (murmur2, seed 0x9747b28c, as the Java client and kafkajs compute it),
 * so the lean producer puts a key on the same partition as every other client. Works on the key's UTF-8
 * bytes; an ASCII key (the usual user_id) is hashed straight from its characters, without a Buffer.
 */
const SEED = 0x9747b28c;
const M = 0x5bd1e995;

export function murmur2(key: string): number {
  for (let i = 0; i < key.length; i++) {
    if (key.charCodeAt(i) > 0x7f) return murmur2Bytes(Buffer.from(key, 'utf8'));
  }
  return hash(key.length, (i) => key.charCodeAt(i));
}

export function murmur2Bytes(data: Uint8Array, start = 0, length = data.length - start): number {
  return hash(length, (i) => data[start + i] ?? 0);
}

function hash(length: number, at: (i: number) => number): number {
  let h = (SEED ^ length) | 0;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = at(i) | (at(i + 1) << 8) | (at(i + 2) << 16) | (at(i + 3) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & 3;
  if (tail === 3) h ^= at(whole + 2) << 16;
  if (tail >= 2) h ^= at(whole + 1) << 8;
  if (tail >= 1) h = Math.imul(h ^ at(whole), M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h;
}

/** The partition Kafka's default partitioner picks for a key. */
export function partitionOf(key: string, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}

/** The same for a key's UTF-8 bytes held in place: data[start, start + length). */
export function partitionOfBytes(
  data: Uint8Array,
  start: number,
  length: number,
  partitions: number,
): number {
  return (murmur2Bytes(data, start, length) & 0x7fffffff) % partitions;
}
