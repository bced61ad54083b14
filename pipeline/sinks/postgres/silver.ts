import { join } from 'node:path';
import type pg from 'pg';
import { inTransaction, prepareTable } from './apply';
import { readSource, type SinkDuck } from './duck';
import { SILVER_TABLE, silverGrain } from './grains';
import { replaceDayPartition } from './day-partition';
import { DAYS_TABLE, STATE_TABLE } from './schema';
import { dayFolders } from './source-files';
import { ident } from './types';
import { mkdir, rm } from 'node:fs/promises';

export interface SilverResult {
  changedDays: number;
  rowsCopied: number;
  rows: number;
  /** Newest Silver file among the days applied (ms), for latency. */
  modifiedMs: number | null;
  behind: boolean;
}

/**
 * Mirrors Silver's events into <schema>.silver_events, range-partitioned by event_date (one partition a
 * day). Silver is already partitioned by day on disk, so a day whose files changed is replaced whole: its
 * partition swapped for one freshly loaded by COPY (day-partition.ts), and that day's fingerprint recorded,
 * in one transaction. Days gone from the lake are deleted.
 */
export async function syncSilver(
  client: pg.Client,
  duck: SinkDuck,
  silverDir: string,
  schema: string,
  stateDir: string,
  shouldStop: () => boolean,
): Promise<SilverResult | null> {
  const days = await dayFolders(silverDir);
  const s = ident(schema);
  const target = `${s}.${ident(SILVER_TABLE)}`;
  const marks = await client
    .query<{ d: string; fingerprint: string }>(
      `SELECT to_char(event_date, 'YYYY-MM-DD') AS d, fingerprint FROM ${s}.${DAYS_TABLE} WHERE table_name = $1`,
      [SILVER_TABLE],
    )
    .then((r) => new Map(r.rows.map((row) => [row.d, row.fingerprint])));
  const changed = [...days].filter(([day, files]) => marks.get(day) !== files.fingerprint);
  const gone = [...marks.keys()].filter((day) => !days.has(day));
  const result: SilverResult = { changedDays: 0, rowsCopied: 0, rows: 0, modifiedMs: null, behind: false };
  if (changed.length === 0 && gone.length === 0) return null;
  const first = changed[0]?.[1] ?? [...days.values()][0];
  if (first) {
    const columns = await duck.columns(readSource(first), SILVER_TABLE);
    const expected = await prepareTable(
      client,
      schema,
      { table: SILVER_TABLE, columns, key: silverGrain.key, partitionedByDay: true },
      'silver',
    );
    // A new or migrated table holds no trustworthy day marks: every day is sent again.
    const todo = expected === null ? [...days] : changed;
    const tmp = join(stateDir, 'tmp');
    await mkdir(tmp, { recursive: true });
    for (const [day, files] of todo) {
      if (shouldStop()) {
        result.behind = true;
        break;
      }
      const csv = join(tmp, `silver.${day}.csv`);
      try {
        const cols = columns.map((c) => ident(c.name)).join(', ');
        const rows = await duck.writeCsv(`SELECT ${cols} FROM ${readSource(files)}`, columns, csv);
        await inTransaction(client, async () => {
          await client.query(`SELECT 1 FROM ${s}.${STATE_TABLE} WHERE table_name = $1 FOR UPDATE`, [
            SILVER_TABLE,
          ]);
          result.rowsCopied += await replaceDayPartition(
            client,
            schema,
            SILVER_TABLE,
            day,
            columns,
            silverGrain.key,
            csv,
          );
          await client.query(
            `INSERT INTO ${s}.${DAYS_TABLE} (table_name, event_date, fingerprint, rows) VALUES ($1, $2::date, $3, $4)
             ON CONFLICT (table_name, event_date) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, rows = EXCLUDED.rows`,
            [SILVER_TABLE, day, files.fingerprint, rows],
          );
          await updateTotals(client, schema, files.modifiedMs);
        });
        result.changedDays++;
        result.modifiedMs = Math.max(result.modifiedMs ?? 0, files.modifiedMs);
      } finally {
        await rm(csv, { force: true });
      }
    }
  }
  for (const day of gone) {
    await inTransaction(client, async () => {
      await client.query(`DELETE FROM ${target} WHERE event_date = $1::date`, [day]);
      await client.query(`DELETE FROM ${s}.${DAYS_TABLE} WHERE table_name = $1 AND event_date = $2::date`, [
        SILVER_TABLE,
        day,
      ]);
      await updateTotals(client, schema, null);
    });
    result.changedDays++;
  }
  return result;
}

async function updateTotals(client: pg.Client, schema: string, modifiedMs: number | null): Promise<void> {
  const s = ident(schema);
  await client.query(
    `UPDATE ${s}.${STATE_TABLE} SET fingerprint = 'days', applied_at = now(),
        rows = (SELECT coalesce(sum(rows), 0) FROM ${s}.${DAYS_TABLE} WHERE table_name = $1),
        source_modified_at = coalesce(to_timestamp($2 / 1000.0), source_modified_at)
      WHERE table_name = $1`,
    [SILVER_TABLE, modifiedMs],
  );
}
