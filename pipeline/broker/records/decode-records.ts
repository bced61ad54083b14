import { gunzipSync } from 'node:zlib';
import {
  Attribute,
  BATCH_HEADER_SIZE,
  batchTotalSize,
  compressionCodec,
  parseBatchHeader,
  readZigzag,
} from './record-batch';

export interface DecodedRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: string; value: Buffer | null }[];
  sizeBytes: number;
}

const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/**
 * Decodes the records of stored v2 batches for people to look at (the Topics screen); the broker's
 * data path never does this. Batches compressed with a codec
 * Node lacks (snappy, lz4, zstd) are skipped and named.
 */
export function decodeRecords(batches: Buffer): { records: DecodedRecord[]; skippedCodecs: string[] } {
  const records: DecodedRecord[] = [];
  const skipped = new Set<string>();
  let pos = 0;
  while (pos + BATCH_HEADER_SIZE <= batches.length) {
    const header = parseBatchHeader(batches, pos);
    const end = pos + batchTotalSize(header);
    if (end > batches.length) break;
    const codec = CODECS[compressionCodec(header.attributes)] ?? 'unknown';
    let body = batches.subarray(pos + BATCH_HEADER_SIZE, end);
    if (codec === 'gzip') body = gunzipSync(body);
    if (codec !== 'none' && codec !== 'gzip') skipped.add(codec);
    else if ((header.attributes & Attribute.control) === 0) {
      readRecords(body, header.recordsCount, header.baseOffset, header.baseTimestamp, records);
    }
    pos = end;
  }
  return { records, skippedCodecs: [...skipped] };
}

function readRecords(
  body: Buffer,
  count: number,
  baseOffset: number,
  baseTimestamp: number,
  out: DecodedRecord[],
): void {
  let pos = 0;
  const varint = () => {
    const [value, next] = readZigzag(body, pos);
    pos = next;
    return value;
  };
  const bytesOrNull = () => {
    const n = varint();
    if (n < 0) return null;
    const b = body.subarray(pos, pos + n);
    pos += n;
    return b;
  };
  for (let i = 0; i < count && pos < body.length; i++) {
    const length = varint();
    const start = pos;
    pos += 1; // record attributes: unused in v2
    const timestamp = baseTimestamp + varint();
    const offset = baseOffset + varint();
    const key = bytesOrNull();
    const value = bytesOrNull();
    const headers = Array.from({ length: varint() }, () => ({
      key: (bytesOrNull() ?? Buffer.alloc(0)).toString('utf8'),
      value: bytesOrNull(),
    }));
    pos = start + length;
    out.push({ offset, timestamp, key, value, headers, sizeBytes: length });
  }
}
