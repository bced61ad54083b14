import type pg from 'pg';
import { copyCsvInto } from './copy-in';
import { ident, type Column } from './types';

/**
 * Inside the caller's transaction: replaces one day's partition of a day-partitioned table with the rows of
 * a CSV file. The rows go into a fresh table (COPY … FREEZE, no index yet), its primary key is built once
 * after the load (a sort, far cheaper than growing a B-tree row by row), a CHECK on the day lets ATTACH skip
 * its validation scan, and the old partition is dropped and the new one attached in its place.
 */
export async function replaceDayPartition(
  client: pg.Client,
  schema: string,
  table: string,
  day: string,
  columns: Column[],
  key: string[],
  csv: string,
): Promise<number> {
  const s = ident(schema);
  const part = `${table}_${day.replace(/-/g, '')}`;
  const fresh = `${part}_load`;
  const range = `FROM ('${day}') TO ('${day}'::date + 1)`;
  await client.query(`CREATE TABLE ${s}.${ident(fresh)} (LIKE ${s}.${ident(table)})`);
  const rows = await copyCsvInto(client, `${s}.${ident(fresh)}`, columns, csv, { freeze: true });
  await client.query(
    `ALTER TABLE ${s}.${ident(fresh)} ADD CONSTRAINT ${ident(`${part}_day`)} CHECK (event_date >= '${day}' AND event_date < '${day}'::date + 1)`,
  );
  await client.query(
    `ALTER TABLE ${s}.${ident(fresh)} ADD CONSTRAINT ${ident(`${fresh}_pkey`)} PRIMARY KEY (${key.map(ident).join(', ')})`,
  );
  await client.query(`DROP TABLE IF EXISTS ${s}.${ident(part)}`);
  await client.query(`ALTER TABLE ${s}.${ident(fresh)} RENAME TO ${ident(part)}`);
  await client.query(`ALTER INDEX ${s}.${ident(`${fresh}_pkey`)} RENAME TO ${ident(`${part}_pkey`)}`);
  await client.query(
    `ALTER TABLE ${s}.${ident(table)} ATTACH PARTITION ${s}.${ident(part)} FOR VALUES ${range}`,
  );
  return rows;
}
