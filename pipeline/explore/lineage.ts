import type { DuckDBConnection } from '@duckdb/node-api';
import { dirname } from 'node:path';
import { ApiError, type BronzeRecord, type LineageRows, type RecordLineage } from '../contract';
import { lakePaths } from '../lake/layout';
import { bronzeFiles } from '../query/catalog';
import { quoteIdent, quoteLiteral } from '../query/sql-builder';
import { grainOf, keyValues } from './grains';
import { describe, folderSource, jsonRows, jsonSelectList, rowObject, silverSource } from './lake-reader';
import { sourceLine } from './source-line';

/** The Silver rows behind one Gold row: the grain's keys as filters on Silver (bound parameters). */
export async function lineageRows(
  db: DuckDBConnection,
  lake: string,
  request: { table: string; key: Record<string, string>; offset: number; limit: number },
): Promise<LineageRows> {
  const table = request.table.replace(/^gold\./, '');
  const grain = grainOf(table);
  const values = keyValues(table, grain, request.key);
  const empty = { table, grain: grain.map((g) => g.key), total: 0, columns: [], rows: [], gold: null };
  const silver = await silverSource(lake);
  if (!silver) return empty;
  const goldSource = await folderSource(lakePaths(lake).goldTable(table));
  let gold: Record<string, unknown> | null = null;
  if (goldSource) {
    const where = grain.map((g, i) => `${quoteIdent(g.key)} = CAST($${i + 1} AS ${g.type})`).join(' AND ');
    const columns = await describe(db, `SELECT * FROM ${goldSource}`);
    const rows = await jsonRows(
      db,
      `SELECT ${jsonSelectList(columns)} FROM ${goldSource} WHERE ${where} LIMIT 1`,
      values,
    );
    gold = rowObject(columns, rows[0]);
  }
  // A key that needs a window (session_daily's start day) is computed in a subquery; plain ones filter Silver
  // directly, so DuckDB can skip day partitions and row groups.
  const windowed = grain.some((g) => /\bOVER\b/.test(g.silver));
  const from = windowed
    ? `(SELECT *, ${grain.map((g, i) => `${g.silver} AS __key${i}`).join(', ')} FROM ${silver})`
    : silver;
  const where = grain
    .map((g, i) => `${windowed ? `__key${i}` : g.silver} = CAST($${i + 1} AS ${g.type})`)
    .join(' AND ');
  const columns = await describe(db, `SELECT * FROM ${silver}`);
  const counted = await db.runAndReadAll(`SELECT count(*)::DOUBLE FROM ${from} WHERE ${where}`, values);
  const total = Number(counted.getRowsJS()[0]?.[0] ?? 0);
  const rows = await jsonRows(
    db,
    `SELECT ${jsonSelectList(columns)} FROM ${from} WHERE ${where} ORDER BY event_time, event_id LIMIT ${request.limit} OFFSET ${request.offset}`,
    values,
  );
  return { ...empty, total, columns, rows, gold };
}

/** One Bronze record, read from the file whose offset range holds it. */
export async function bronzeRecord(
  db: DuckDBConnection,
  lake: string,
  topic: string,
  partition: number,
  offset: number,
): Promise<BronzeRecord | null> {
  const paths = lakePaths(lake);
  const partitionDir = paths.bronzePartition(topic, partition);
  if (
    dirname(partitionDir) !== paths.bronzeTopic(topic) ||
    dirname(paths.bronzeTopic(topic)) !== paths.bronze
  ) {
    throw new ApiError({ code: 'VALIDATION', message: `"${topic}" is not a topic name.` });
  }
  const files = (await bronzeFiles(paths.bronzeTopic(topic))).filter((f) => dirname(f) === partitionDir);
  const file = files.find((f) => {
    const m = /(\d{20})-(\d{20})\.parquet$/.exec(f);
    return m && Number(m[1]) <= offset && offset <= Number(m[2]);
  });
  if (!file) return null;
  const result = await db.runAndReadAll(
    `SELECT topic, "partition", "offset"::DOUBLE, strftime(kafka_timestamp AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ'),
            "key", coalesce(TRY(decode(value)), '(not UTF-8) ' || hex(value)), CAST(to_json(headers) AS VARCHAR)
     FROM read_parquet(${quoteLiteral(file)}) WHERE "offset" = $1`,
    [offset],
  );
  const row = result.getRowsJS()[0];
  if (!row) return null;
  return {
    topic: String(row[0]),
    partition: Number(row[1]),
    offset: Number(row[2]),
    kafkaTimestamp: row[3] === null ? null : String(row[3]),
    key: row[4] === null ? null : String(row[4]),
    value: String(row[5]),
    headers: JSON.parse(String(row[6] ?? '{}')) as Record<string, string | null>,
    file,
  };
}

export async function recordLineage(
  db: DuckDBConnection,
  lake: string,
  at: { topic: string; partition: number; offset: number },
  sourceCandidates: string[],
): Promise<RecordLineage> {
  const bronze = await bronzeRecord(db, lake, at.topic, at.partition, at.offset);
  const source = bronze?.headers['clickpulse.source'];
  const row = Number(bronze?.headers['clickpulse.row']);
  if (!bronze || !source || !Number.isSafeInteger(row)) return { bronze, source: null };
  let message: Record<string, unknown> | null = null;
  try {
    message = JSON.parse(bronze.value) as Record<string, unknown>;
  } catch {
    message = null;
  }
  return { bronze, source: await sourceLine(source, row, sourceCandidates, message) };
}
