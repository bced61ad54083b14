import type pg from 'pg';
import { ApiError } from '../../contract/envelope';
import { copyCsvInto } from './copy-in';
import type { Prepared } from './plan';
import { DAYS_TABLE, ensureTable, STATE_TABLE, type TableSpec } from './schema';
import { ident } from './types';

/** Runs work in one transaction; any error rolls it back (and a dead connection rolls back by itself). */
export async function inTransaction<T>(client: pg.Client, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Creates or migrates one table and registers it in the state table (its own transaction, before any data).
 * A created table, or one that gained a column, forgets its high-water mark so the next apply sends every
 * row. Returns the fingerprint the database now holds for it.
 */
export async function prepareTable(
  client: pg.Client,
  schema: string,
  spec: TableSpec,
  source: 'gold' | 'silver',
): Promise<string | null> {
  return inTransaction(client, async () => {
    const state = `${ident(schema)}.${STATE_TABLE}`;
    const row = await client.query<{ fingerprint: string | null }>(
      `SELECT fingerprint FROM ${state} WHERE table_name = $1 FOR UPDATE`,
      [spec.table],
    );
    const known = row.rowCount !== 0;
    const { created, added } = await ensureTable(client, schema, spec, known);
    if (!known)
      await client.query(`INSERT INTO ${state} (table_name, source) VALUES ($1, $2)`, [spec.table, source]);
    if (created || added.length || !known) {
      await client.query(`UPDATE ${state} SET fingerprint = NULL WHERE table_name = $1`, [spec.table]);
      await client.query(`DELETE FROM ${ident(schema)}.${DAYS_TABLE} WHERE table_name = $1`, [spec.table]);
      return null;
    }
    return row.rows[0]?.fingerprint ?? null;
  });
}

/**
 * Applies a prepared plan and moves the table's high-water mark to the snapshot's fingerprint, all in one
 * transaction: a crash at any instant leaves the table equal to the old snapshot or the new one. The mark
 * must still be `expected` (the base the plan was made against), or nothing is applied.
 */
export async function applyPlan(
  client: pg.Client,
  schema: string,
  prepared: Prepared,
  key: string[],
  expected: string | null,
): Promise<number> {
  const { table, columns, plan } = prepared;
  const target = `${ident(schema)}.${ident(table)}`;
  const state = `${ident(schema)}.${STATE_TABLE}`;
  const cols = columns.map((c) => ident(c.name));
  const nonKey = columns.filter((c) => !key.includes(c.name)).map((c) => ident(c.name));
  const keyMatch = (a: string, b: string) =>
    key.map((k) => `${a}.${ident(k)} = ${b}.${ident(k)}`).join(' AND ');
  const conflict = (where: boolean) =>
    nonKey.length === 0
      ? `ON CONFLICT (${key.map(ident).join(', ')}) DO NOTHING`
      : `ON CONFLICT (${key.map(ident).join(', ')}) DO UPDATE SET ${nonKey.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}` +
        (where
          ? ` WHERE (${nonKey.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${nonKey.map((c) => `EXCLUDED.${c}`).join(', ')})`
          : '');
  return inTransaction(client, async () => {
    const mark = await client.query<{ fingerprint: string | null }>(
      `SELECT fingerprint FROM ${state} WHERE table_name = $1 FOR UPDATE`,
      [table],
    );
    if (mark.rowCount === 0 || (mark.rows[0]?.fingerprint ?? null) !== expected) {
      throw new ApiError({
        code: 'CONFLICT',
        message: `${schema}.${table} changed in PostgreSQL while the sink prepared it (another sink on the same schema?); it is re-read on the next pass.`,
      });
    }
    let copied = 0;
    if (plan) {
      await client.query(`CREATE TEMP TABLE _cp_stage (LIKE ${target}) ON COMMIT DROP`);
      if (plan.mode === 'keys') {
        copied += await copyCsvInto(client, '_cp_stage', columns, plan.upserts);
        if (plan.deleteRows) {
          await client.query(
            `CREATE TEMP TABLE _cp_gone ON COMMIT DROP AS SELECT ${key.map(ident).join(', ')} FROM ${target} WITH NO DATA`,
          );
          const keyColumns = columns.filter((c) => key.includes(c.name));
          keyColumns.sort((a, b) => key.indexOf(a.name) - key.indexOf(b.name));
          copied += await copyCsvInto(client, '_cp_gone', keyColumns, plan.deletes);
          await client.query(`DELETE FROM ${target} t USING _cp_gone g WHERE ${keyMatch('t', 'g')}`);
        }
        await client.query(
          `INSERT INTO ${target} AS t (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM _cp_stage ${conflict(false)}`,
        );
      } else if (plan.mode === 'days') {
        copied += await copyCsvInto(client, '_cp_stage', columns, plan.rowsFile);
        await client.query(`DELETE FROM ${target} WHERE event_date = ANY($1::date[])`, [plan.days]);
        await client.query(
          `INSERT INTO ${target} (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM _cp_stage`,
        );
      } else {
        copied += await copyCsvInto(client, '_cp_stage', columns, plan.rowsFile);
        await client.query(
          `DELETE FROM ${target} t WHERE NOT EXISTS (SELECT 1 FROM _cp_stage s WHERE ${keyMatch('s', 't')})`,
        );
        await client.query(
          `INSERT INTO ${target} AS t (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM _cp_stage ${conflict(true)}`,
        );
      }
    }
    await client.query(
      `UPDATE ${state} SET fingerprint = $2, rows = $3, source_modified_at = to_timestamp($4 / 1000.0), applied_at = now() WHERE table_name = $1`,
      [table, prepared.source.fingerprint, prepared.totalRows, prepared.source.modifiedMs],
    );
    return copied;
  });
}
