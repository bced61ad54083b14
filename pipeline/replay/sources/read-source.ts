import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { ApiError } from '../../contract';
import { quoteLiteral } from '../../query/sql-builder';

export type SourceFormat = 'csv' | 'parquet' | 'json';

/** The format from the file name (.csv, .csv.gz, .tsv, .txt, .parquet, .json, .jsonl, .ndjson, .json.gz). */
export function formatOf(path: string): SourceFormat | undefined {
  const name = path.toLowerCase().replace(/\.(gz|zst)$/, '');
  const ext = extname(name);
  if (['.csv', '.tsv', '.txt'].includes(ext)) return 'csv';
  if (ext === '.parquet') return 'parquet';
  if (['.json', '.jsonl', '.ndjson'].includes(ext)) return 'json';
  return undefined;
}

/**
 * DuckDB table expression that reads the start of the file for inspection. CSV keeps every column as text
 * so IDs stay exact; the delimiter, quoting and header are what DuckDB sniffs; malformed lines are skipped
 * here (the replay sends them to the DLQ).
 */
export function sourceExpression(path: string, format: SourceFormat, allText = true): string {
  const file = quoteLiteral(path);
  if (format === 'parquet') return `read_parquet(${file})`;
  // JSON numbers up to 2^63 are read as BIGINT, so IDs stay exact there too.
  if (format === 'json') return `read_json(${file}, format = 'newline_delimited', ignore_errors = true)`;
  return `read_csv(${file}, ignore_errors = true${allText ? ', all_varchar = true' : ''})`;
}

/** File-level checks with a specific message each: missing, a folder, empty, unknown type, binary text. */
export async function checkFile(path: string): Promise<{ size: number; format: SourceFormat }> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    const why = error.code === 'EACCES' ? 'cannot be read (permission denied)' : 'does not exist';
    throw new ApiError({
      code: error.code === 'ENOENT' ? 'NOT_FOUND' : 'FAILED',
      message: `${path} ${why}.`,
    });
  });
  if (info.isDirectory()) {
    throw new ApiError({
      code: 'VALIDATION',
      message: `${path} is a folder; choose a CSV, CSV.gz, Parquet or JSON-lines file.`,
    });
  }
  if (info.size === 0) throw new ApiError({ code: 'VALIDATION', message: `${path} is empty.` });
  const format = formatOf(path);
  if (!format) {
    throw new ApiError({
      code: 'VALIDATION',
      message: `${path}: unknown file type; expected .csv, .csv.gz, .tsv, .parquet, .json, .jsonl or .ndjson.`,
    });
  }
  if (format !== 'parquet' && !path.toLowerCase().endsWith('.gz')) {
    const handle = await open(path, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
      if (buffer.subarray(0, bytesRead).includes(0)) {
        throw new ApiError({
          code: 'VALIDATION',
          message: `${path} looks binary (it contains NUL bytes), not ${format.toUpperCase()} text.`,
        });
      }
    } finally {
      await handle.close();
    }
  }
  return { size: info.size, format };
}
