import type { DuckDBConnection } from '@duckdb/node-api';
import { join } from 'node:path';
import {
  DEFAULT_TOPIC,
  DLQ_TOPIC,
  type BrokerMessage,
  type DataQuality,
  type DqCount,
  type RowsPage,
} from '../contract';
import { lakePaths } from '../lake/layout';
import { bronzeFiles } from '../query/catalog';
import { quoteLiteral } from '../query/sql-builder';
import { folderSource, silverSource } from './lake-reader';

/** Reads the whole DLQ topic (it holds only rejected rows, so it stays small); throws when no broker runs. */
export type DlqReader = () => Promise<BrokerMessage[]>;

/** The data-quality table the lake computes (duplicates, replays, late events, rows without a session). */
export function dqDailyDir(lake: string): string {
  return join(lakePaths(lake).silver, 'dq_daily');
}

export interface DlqRow {
  offset: number;
  day: string;
  reason: string;
  source: string | null;
  row: number | null;
  line: number | null;
  raw: string | null;
}

/** A DLQ message as its row: the replay writes {reason, source, row?, line?, raw} and the same as headers. */
export function dlqRow(m: BrokerMessage): DlqRow {
  const header = (k: string) => m.headers.find((h) => h.key === k)?.value ?? null;
  let body: Record<string, unknown> = {};
  try {
    body = m.encoding === 'utf8' && m.value ? (JSON.parse(m.value) as Record<string, unknown>) : {};
  } catch {
    body = {};
  }
  const num = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v));
  return {
    offset: m.offset,
    day: m.timestamp.slice(0, 10),
    reason: String(body.reason ?? header('clickpulse.reason') ?? 'unknown'),
    source: (body.source as string | undefined) ?? header('clickpulse.source'),
    row: num(body.row ?? header('clickpulse.row')),
    line: num(body.line ?? header('clickpulse.line')),
    raw:
      typeof body.raw === 'string' ? body.raw : body.raw === undefined ? m.value : JSON.stringify(body.raw),
  };
}

/** "price is not a number: abc" → "price is not a number": counts group by kind, as the replay's do. */
export const reasonKind = (reason: string) => reason.split(':')[0] ?? reason;

export async function dataQuality(
  db: DuckDBConnection,
  lake: string,
  readDlq: DlqReader,
  range: { from?: string | undefined; to?: string | undefined },
  topic = DEFAULT_TOPIC,
): Promise<DataQuality> {
  const counts: DqCount[] = [];
  const inRange = (day: string) =>
    (!range.from || day >= range.from.slice(0, 10)) && (!range.to || day <= range.to.slice(0, 10));
  const quarantine = await folderSource(lakePaths(lake).quarantine);
  const perSource = new Map<string, { bronze: number; silver: number; quarantined: number; dlq: number }>();
  const source = (id: string) => {
    let s = perSource.get(id);
    if (!s) perSource.set(id, (s = { bronze: 0, silver: 0, quarantined: 0, dlq: 0 }));
    return s;
  };
  const bronze = lakePaths(lake).bronzeTopic(topic);
  const bronzeList = await bronzeFiles(bronze);
  if (bronzeList.length) {
    const rows = await db.runAndReadAll(
      `SELECT coalesce(headers['clickpulse.source'], '(unknown)'), count(*)::DOUBLE
       FROM read_parquet([${bronzeList.map(quoteLiteral).join(', ')}]) GROUP BY ALL`,
    );
    for (const [src, n] of rows.getRowsJS() as [string, number][]) source(src).bronze += n;
  }
  if (quarantine) {
    const rows = await db.runAndReadAll(
      `SELECT strftime(kafka_timestamp AT TIME ZONE 'UTC', '%Y-%m-%d') AS day, split_part(reason, ':', 1) AS reason,
              coalesce(source_id, '(unknown)') AS source, count(*)::DOUBLE
       FROM ${quarantine} GROUP BY ALL ORDER BY day, reason`,
    );
    const merged = new Map<string, DqCount>();
    for (const [day, reason, src, n] of rows.getRowsJS() as [string, string, string, number][]) {
      source(src).quarantined += n;
      if (!inRange(day)) continue;
      const key = `${day}\0${reason}`;
      const c = merged.get(key) ?? { day, source: 'quarantine' as const, reason, rows: 0 };
      c.rows += n;
      merged.set(key, c);
    }
    counts.push(...merged.values());
  }
  let dlqNote: string | null = null;
  try {
    const merged = new Map<string, DqCount>();
    for (const row of (await readDlq()).map(dlqRow)) {
      source(row.source ?? '(unknown)').dlq++;
      if (!inRange(row.day)) continue;
      const reason = reasonKind(row.reason);
      const key = `${row.day}\0${reason}`;
      const c = merged.get(key) ?? { day: row.day, source: 'dlq' as const, reason, rows: 0 };
      c.rows++;
      merged.set(key, c);
    }
    counts.push(...merged.values());
  } catch (error) {
    dlqNote = `The dead-letter topic ${DLQ_TOPIC} could not be read: ${error instanceof Error ? error.message : String(error)}`;
  }
  const dq = await folderSource(dqDailyDir(lake));
  if (dq) {
    const rows = await db.runAndReadAll(
      `SELECT strftime(event_date, '%Y-%m-%d'), reason, sum("rows")::DOUBLE FROM ${dq} GROUP BY ALL ORDER BY 1, 2`,
    );
    for (const [day, reason, n] of rows.getRowsJS() as [string, string, number][]) {
      if (inRange(day)) counts.push({ day, source: 'dq_daily', reason, rows: n });
    }
  }
  const silver = await silverSource(lake);
  let silverRows = 0;
  if (silver) {
    const rows = await db.runAndReadAll(
      `SELECT coalesce(source_id, '(unknown)'), count(*)::DOUBLE FROM ${silver} GROUP BY ALL`,
    );
    for (const [src, n] of rows.getRowsJS() as [string, number][]) {
      source(src).silver += n;
      silverRows += n;
    }
  }
  counts.sort(
    (a, b) =>
      a.day.localeCompare(b.day) || a.source.localeCompare(b.source) || a.reason.localeCompare(b.reason),
  );
  return {
    counts,
    dqDaily: dq ? 'computed' : 'not yet computed',
    silverRows,
    dlqTopic: DLQ_TOPIC,
    dlqNote,
    health: [...perSource]
      .map(([sourceId, s]) => ({
        sourceId,
        ...s,
        duplicates: Math.max(0, s.bronze - s.silver - s.quarantined),
      }))
      .sort((a, b) => a.sourceId.localeCompare(b.sourceId)),
  };
}

/** The rows behind one count: quarantined records (with their Bronze place) or dead letters with raw row. */
export async function dqRows(
  db: DuckDBConnection,
  lake: string,
  readDlq: DlqReader,
  request: {
    source: 'quarantine' | 'dlq';
    reason?: string | undefined;
    day?: string | undefined;
    limit: number;
  },
): Promise<RowsPage> {
  if (request.source === 'dlq') {
    const rows = (await readDlq())
      .map(dlqRow)
      .filter(
        (r) =>
          (!request.reason || reasonKind(r.reason) === request.reason) &&
          (!request.day || r.day === request.day),
      )
      .slice(0, request.limit);
    return {
      columns: [
        { name: 'offset', type: 'BIGINT' },
        { name: 'day', type: 'VARCHAR' },
        { name: 'reason', type: 'VARCHAR' },
        { name: 'source', type: 'VARCHAR' },
        { name: 'row', type: 'BIGINT' },
        { name: 'line', type: 'BIGINT' },
        { name: 'raw', type: 'VARCHAR' },
      ],
      rows: rows.map((r) => [r.offset, r.day, r.reason, r.source, r.row, r.line, r.raw]),
    };
  }
  const quarantine = await folderSource(lakePaths(lake).quarantine);
  const columns = [
    { name: 'reason', type: 'VARCHAR' },
    { name: 'topic', type: 'VARCHAR' },
    { name: 'partition', type: 'INTEGER' },
    { name: 'offset', type: 'BIGINT' },
    { name: 'source_id', type: 'VARCHAR' },
    { name: 'source_row', type: 'BIGINT' },
    { name: 'raw_value', type: 'VARCHAR' },
  ];
  if (!quarantine) return { columns, rows: [] };
  const rows = await db.runAndReadAll(
    `SELECT reason, topic, "partition"::DOUBLE, "offset"::DOUBLE, source_id, source_row::DOUBLE, raw_value FROM ${quarantine}
     WHERE ($1 = '' OR split_part(reason, ':', 1) = $1)
       AND ($2 = '' OR strftime(kafka_timestamp AT TIME ZONE 'UTC', '%Y-%m-%d') = $2)
     ORDER BY topic, "partition", "offset" LIMIT ${request.limit}`,
    [request.reason ?? '', request.day ?? ''],
  );
  return { columns, rows: rows.getRowsJS() as unknown[][] };
}

/** Every message of the DLQ topic through the embedded broker, in pages. */
export function brokerDlqReader(
  messages: (range: { topic: string; partition: number; offset: number; limit: number }) => Promise<{
    logEndOffset: number;
    messages: BrokerMessage[];
  }>,
): DlqReader {
  return async () => {
    const all: BrokerMessage[] = [];
    let offset = 0;
    for (;;) {
      const page = await messages({ topic: DLQ_TOPIC, partition: 0, offset, limit: 1000 });
      all.push(...page.messages);
      const last = page.messages.at(-1);
      if (!last || last.offset + 1 >= page.logEndOffset) return all;
      offset = last.offset + 1;
    }
  };
}
