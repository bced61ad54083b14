import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * One chunk of the normalizing query's result, column by column (no object per row): the event time in
 * ms, the message key and value (the canonical event as JSON; null when the row is rejected), and for a
 * rejected row its reason and raw text.
 */
export interface RowChunk {
  count: number;
  eventMs: (number | null)[];
  key: (string | null)[];
  value: (string | null)[];
  reason: (string | null)[];
  raw: (string | null)[];
}

/** Streams the normalizing query's result chunk by chunk (about 2,048 rows each): memory stays bounded. */
export async function* streamRows(db: DuckDBConnection, sql: string): AsyncGenerator<RowChunk> {
  const result = await db.stream(sql);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    const [eventMs, key, value, reason, raw] = chunk.getColumns();
    yield {
      count: chunk.rowCount,
      eventMs: (eventMs ?? []) as RowChunk['eventMs'],
      key: (key ?? []) as RowChunk['key'],
      value: (value ?? []) as RowChunk['value'],
      reason: (reason ?? []) as RowChunk['reason'],
      raw: (raw ?? []) as RowChunk['raw'],
    };
  }
}
