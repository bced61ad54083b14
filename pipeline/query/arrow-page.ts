import type { DuckDBResultReader } from '@duckdb/node-api';
import {
  Binary,
  Bool,
  DateMillisecond,
  Float64,
  Int32,
  Int64,
  Table,
  TimestampMillisecond,
  Utf8,
  tableToIPC,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';

/**
 * A page of DuckDB rows as an Arrow IPC stream. Types are chosen so the grid shows values exactly: 64-bit ids
 * stay bigint, instants are UTC milliseconds, decimals become doubles (two-decimal prices round-trip), and
 * anything nested is shown as JSON text.
 */
export function resultToArrowIpc(result: DuckDBResultReader): { bytes: Uint8Array; rows: number } {
  const names = result.columnNames();
  const types = result.columnTypes().map(String);
  const columns = result.getColumnsJS();
  const vectors: Record<string, Vector> = {};
  names.forEach((name, i) => {
    const [arrowType, convert] = arrowTypeFor(types[i] ?? 'VARCHAR');
    vectors[uniqueName(name, vectors)] = vectorFromArray((columns[i] ?? []).map(convert), arrowType);
  });
  const table = new Table(vectors);
  return { bytes: tableToIPC(table, 'stream'), rows: table.numRows };
}

type Convert = (value: unknown) => unknown;
const same: Convert = (v) => v;
const nullable =
  (f: Convert): Convert =>
  (v) =>
    v === null || v === undefined ? null : f(v);

function arrowTypeFor(type: string): [DataType, Convert] {
  const t = type.toUpperCase();
  if (t === 'BOOLEAN') return [new Bool(), same];
  if (/^(TINYINT|SMALLINT|INTEGER|UTINYINT|USMALLINT)$/.test(t)) return [new Int32(), same];
  if (/^(BIGINT|UINTEGER)$/.test(t)) return [new Int64(), nullable((v) => BigInt(v as number | bigint))];
  if (/^(FLOAT|DOUBLE|REAL)$/.test(t) || t.startsWith('DECIMAL')) return [new Float64(), same];
  if (t === 'DATE') return [new DateMillisecond(), same];
  if (t.startsWith('TIMESTAMP')) return [new TimestampMillisecond(), nullable((v) => (v as Date).getTime())];
  if (t === 'BLOB') return [new Binary(), same];
  if (t === 'VARCHAR' || t === 'UUID') return [new Utf8(), same];
  // 128-bit and unsigned 64-bit integers (sum() of BIGINT is HUGEINT) travel as exact decimal text.
  if (/^(HUGEINT|UHUGEINT|UBIGINT)$/.test(t)) return [new Utf8(), nullable((v) => String(v))];
  return [new Utf8(), nullable((v) => (typeof v === 'string' ? v : JSON.stringify(v, jsonSafe)))];
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  return value;
}

function uniqueName(name: string, taken: Record<string, unknown>): string {
  let candidate = name;
  for (let n = 2; candidate in taken; n++) candidate = `${name}_${n}`;
  return candidate;
}
