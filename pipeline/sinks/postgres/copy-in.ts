import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ident, type Column } from './types';

/** Streams a CSV file DuckDB wrote into a table with COPY … FROM STDIN: one round trip, no per-row work in JS. */
export async function copyCsvInto(
  client: pg.Client,
  relation: string,
  columns: Column[],
  file: string,
  options: { freeze?: boolean } = {},
): Promise<number> {
  const stream = client.query(
    copyFrom(
      `COPY ${relation} (${columns.map((c) => ident(c.name)).join(', ')}) FROM STDIN (FORMAT csv${options.freeze ? ', FREEZE' : ''})`,
    ),
  );
  await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), stream);
  return stream.rowCount;
}
