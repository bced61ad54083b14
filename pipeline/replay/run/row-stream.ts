import type {
  DuckDBBlobVector,
  DuckDBConnection,
  DuckDBDataChunk,
  DuckDBDoubleVector,
  DuckDBVector,
} from '@duckdb/node-api';

/**
 * One chunk of the normalizing query's result (about 2,048 rows), read in place: the message key and value
 * come out as the bytes DuckDB holds (BLOB columns), copied once, straight into the record batch. The usual
 * row makes no JavaScript string; only rejected rows (reason not null) decode their text.
 * A CPU profile of a 1M-row replay had 40 % of the replay thread in the library's per-value string
 * conversion (getColumns → TextDecoder) and re-encoding the strings to UTF-8 for the batch.
 */
export class RowChunk {
  readonly count: number;
  private readonly ms: DuckDBDoubleVector;
  private readonly keys: DuckDBBlobVector;
  private readonly values: DuckDBBlobVector;
  private readonly reasons: DuckDBVector;
  private readonly raws: DuckDBVector;
  private readonly lines: DuckDBVector;

  constructor(chunk: DuckDBDataChunk) {
    this.count = chunk.rowCount;
    this.ms = chunk.getColumnVector(0) as DuckDBDoubleVector;
    this.keys = chunk.getColumnVector(1) as DuckDBBlobVector;
    this.values = chunk.getColumnVector(2) as DuckDBBlobVector;
    this.reasons = chunk.getColumnVector(3);
    this.raws = chunk.getColumnVector(4);
    this.lines = chunk.getColumnVector(5);
  }

  /** The event time in ms (null when the row has none). */
  eventMs(i: number): number | null {
    return this.ms.getItem(i);
  }

  /**
   * The key's bytes. A view into the chunk for keys of up to 12 bytes (DuckDB keeps them inline): copy it
   * before the chunk is dropped.
   */
  key(i: number): Uint8Array | null {
    return this.keys.getItemBytes(i);
  }

  /** The canonical event as JSON bytes (null on a rejected row); same lifetime rule as key(). */
  value(i: number): Uint8Array | null {
    return this.values.getItemBytes(i);
  }

  /** Why the row cannot be an event, or null for an event. */
  reason(i: number): string | null {
    return this.reasons.getItem(i) as string | null;
  }

  /** A rejected row's raw text. */
  raw(i: number): string | null {
    return this.raws.getItem(i) as string | null;
  }

  /** A rejected row's line in the file, where the reader knows it. */
  line(i: number): number | null {
    const line = this.lines.getItem(i) as bigint | number | null;
    return line === null ? null : Number(line);
  }
}

/** Streams the normalizing query's result chunk by chunk: memory stays bounded. */
export async function* streamRows(db: DuckDBConnection, sql: string): AsyncGenerator<RowChunk> {
  const result = await db.stream(sql);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    yield new RowChunk(chunk);
  }
}
