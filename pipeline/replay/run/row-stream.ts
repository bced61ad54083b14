import type { DuckDBConnection } from '@duckdb/node-api';

export interface SourceRow {
  eventMs: number | null;
  eventTime: string | null;
  key: string | null;
  /** The canonical event as JSON; null when the row is rejected. */
  value: string | null;
  reason: string | null;
  raw: string | null;
  /** For a rejected row: its line in the file, where the reader knows it. */
  line: number | null;
}

/** Streams the normalizing query's result chunk by chunk (about 2,048 rows each): memory stays bounded. */
export async function* streamRows(db: DuckDBConnection, sql: string): AsyncGenerator<SourceRow[]> {
  const result = await db.stream(sql);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    const [ms, time, key, value, reason, raw, line] = chunk.getColumns();
    const rows: SourceRow[] = new Array<SourceRow>(chunk.rowCount);
    for (let i = 0; i < chunk.rowCount; i++) {
      const eventMs = ms?.[i];
      const lineNo = line?.[i];
      rows[i] = {
        eventMs: eventMs === null || eventMs === undefined ? null : Number(eventMs),
        eventTime: (time?.[i] as string | null) ?? null,
        key: (key?.[i] as string | null) ?? null,
        value: (value?.[i] as string | null) ?? null,
        reason: (reason?.[i] as string | null) ?? null,
        raw: (raw?.[i] as string | null) ?? null,
        line: lineNo === null || lineNo === undefined ? null : Number(lineNo),
      };
    }
    yield rows;
  }
}
