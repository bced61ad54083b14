import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { DuckDBConnection } from '@duckdb/node-api';
import { scalar } from '../../lake/duckdb';
import { quoteLiteral } from '../../query/sql-builder';
import type { SourceFormat } from '../sources/read-source';

const SAMPLE_BYTES = 4 * 1024 * 1024;

/**
 * About how many rows the file holds, for progress and ETA without reading it twice: exact for Parquet
 * (its footer), else the file size over the average line length of its first 4 MB (decompressed for
 * .gz, scaled by the compression ratio seen there).
 */
export async function estimateRows(
  db: DuckDBConnection,
  path: string,
  format: SourceFormat,
  size: number,
): Promise<number> {
  if (format === 'parquet') {
    return scalar(db, `SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata(${quoteLiteral(path)})`);
  }
  const { text, compressedRead } = path.toLowerCase().endsWith('.gz')
    ? await gunzipHead(path)
    : await plainHead(path);
  const lines = text
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '').length;
  if (lines === 0 || compressedRead === 0) return 0;
  // Whole file read already: the count is exact (less a CSV header).
  const header = format === 'csv' ? 1 : 0;
  if (compressedRead >= size) return Math.max(0, lines - header);
  const bytesPerLine = text.length / lines;
  const uncompressed = size * (text.length / compressedRead);
  return Math.max(0, Math.round(uncompressed / bytesPerLine) - header);
}

async function plainHead(path: string): Promise<{ text: Buffer; compressedRead: number }> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(SAMPLE_BYTES), 0, SAMPLE_BYTES, 0);
    return { text: buffer.subarray(0, bytesRead), compressedRead: bytesRead };
  } finally {
    await handle.close();
  }
}

function gunzipHead(path: string): Promise<{ text: Buffer; compressedRead: number }> {
  return new Promise((resolve) => {
    // Small reads, so what was read is close to what was decompressed when we stop.
    const input = createReadStream(path, { highWaterMark: 16 * 1024 });
    const gunzip = createGunzip({ chunkSize: 16 * 1024 });
    const chunks: Buffer[] = [];
    let out = 0;
    const done = () => {
      const compressedRead = gunzip.bytesWritten;
      input.destroy();
      gunzip.destroy();
      resolve({ text: Buffer.concat(chunks), compressedRead });
    };
    gunzip.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      out += chunk.length;
      if (out >= SAMPLE_BYTES) done();
    });
    gunzip.on('end', done);
    gunzip.on('error', done);
    input.pipe(gunzip);
  });
}
