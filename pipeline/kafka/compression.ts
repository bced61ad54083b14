import { createRequire } from 'node:module';
import { gunzipSync, gzipSync } from 'node:zlib';
import kafkajs from 'kafkajs';

// lz4-napi ships prebuilt binaries per platform (no install script); LZ4 frame format, as Kafka uses.
const lz4 = createRequire(import.meta.url)('lz4-napi') as {
  compressFrameSync(data: Buffer): Buffer;
  decompressFrameSync(data: Buffer): Buffer;
};

export type CompressionName = 'none' | 'gzip' | 'lz4';

/** A record-batch compression codec: its id in the batch attributes, and how to pack the records section. */
export interface Compression {
  id: number;
  name: CompressionName;
  compress(records: Buffer): Buffer;
}

/**
 * lz4 is the one to pick: measured on REES46-shaped batches, 0.38 µs of CPU per record to compress
 * (gzip level 1: 0.50 µs) and far cheaper to decompress for the consumer; ~11× smaller on the wire.
 */
export function compression(name: CompressionName): Compression | null {
  switch (name) {
    case 'none':
      return null;
    case 'gzip':
      return { id: 1, name, compress: (records) => gzipSync(records, { level: 1 }) };
    case 'lz4':
      return { id: 3, name, compress: (records) => lz4.compressFrameSync(records) };
  }
}

const CODEC_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** The records section of a batch compressed with codec id `codec` (batch attributes & 7), decompressed. */
export function decompress(codec: number, records: Buffer): Buffer {
  switch (codec) {
    case 0:
      return records;
    case 1:
      return gunzipSync(records);
    case 3:
      return lz4.decompressFrameSync(records);
    default:
      throw new Error(
        `A record batch is compressed with ${CODEC_NAMES[codec] ?? `codec ${codec}`}, which this consumer cannot read (it reads none, gzip and lz4).`,
      );
  }
}

let registered = false;

/** Teaches kafkajs (consumers and the kafkajs producer) to read and write LZ4 batches. */
export function registerKafkajsCodecs(): void {
  if (registered) return;
  registered = true;
  // Named imports of kafkajs' codec table do not survive Node's ESM view of a CommonJS module.
  const { CompressionCodecs, CompressionTypes } = kafkajs;
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    compress: async (encoder: { buffer: Buffer }) => lz4.compressFrameSync(encoder.buffer),
    decompress: async (buffer: Buffer) => lz4.decompressFrameSync(buffer),
  });
}
