import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { ApiError } from '../../contract/envelope';
import { lakePaths } from '../../lake/layout';
import { inTransaction } from './apply';
import { copyCsvInto } from './copy-in';
import { readFile as readParquet, readSource, type SinkDuck } from './duck';
import { goldGrains, SILVER_TABLE, silverGrain } from './grains';
import { snapshotGold, type Prepared } from './plan';
import { createTableSql, DAYS_TABLE, ensureStateTables, STATE_TABLE } from './schema';
import { dayFolders, sourceFiles, type SourceFiles } from './source-files';
import { ident, type Column } from './types';
import { readdir } from 'node:fs/promises';

/**
 * Rebuild in PostgreSQL: every table is built anew in a side schema (<schema>__rebuild) by COPY, then one
 * transaction drops the old tables, moves the new ones in and rewrites the sink's marks. Readers see the old
 * tables or the new ones, never a mix; a failure before the swap leaves the old tables untouched.
 * A view a user built on an old table blocks its drop: the swap then fails, naming it, and changes nothing.
 */
export async function rebuildAll(
  client: pg.Client,
  duck: SinkDuck,
  lake: string,
  schema: string,
  stateDir: string,
  silver: boolean,
): Promise<Record<string, number>> {
  const side = `${schema}__rebuild`;
  const s = ident(schema);
  const paths = lakePaths(lake);
  await client.query(`DROP SCHEMA IF EXISTS ${ident(side)} CASCADE`);
  await client.query(`CREATE SCHEMA ${ident(side)}`);
  const built: {
    table: string;
    source: SourceFiles;
    rows: number;
    partitions: string[];
    days?: Map<string, SourceFiles>;
  }[] = [];
  const tmp = join(stateDir, 'tmp');
  await mkdir(tmp, { recursive: true });
  try {
    const names = (await readdir(paths.gold, { withFileTypes: true }).catch(() => []))
      .filter((e) => e.isDirectory() && goldGrains[e.name])
      .map((e) => e.name)
      .sort();
    for (const table of names) {
      const dir = paths.goldTable(table);
      const source = await sourceFiles(dir);
      if (!source) continue;
      let snap: Prepared | null = null;
      for (let attempt = 0; attempt < 5 && !snap; attempt++)
        snap = await snapshotGold(duck, dir, stateDir, table, (await sourceFiles(dir)) ?? source);
      if (!snap)
        throw new ApiError({
          code: 'FAILED',
          message: `gold.${table} kept changing while being read; try again.`,
        });
      await client.query(
        createTableSql(side, { table, columns: snap.columns, key: goldGrains[table]?.key ?? [] }),
      );
      const csv = join(tmp, `rebuild.${table}.csv`);
      await duck.writeCsv(`SELECT * FROM ${readParquet(snap.snapshot)}`, snap.columns, csv);
      const rows = await copyCsvInto(client, `${ident(side)}.${ident(table)}`, snap.columns, csv);
      await rm(csv, { force: true });
      built.push({ table, source: snap.source, rows, partitions: [] });
    }
    if (silver) {
      const days = await dayFolders(paths.silverEvents);
      const first = [...days.values()][0];
      if (first) {
        const columns: Column[] = await duck.columns(readSource(first), SILVER_TABLE);
        await client.query(
          createTableSql(side, {
            table: SILVER_TABLE,
            columns,
            key: silverGrain.key,
            partitionedByDay: true,
          }),
        );
        let rows = 0;
        const partitions: string[] = [];
        for (const [day, files] of days) {
          const part = `${SILVER_TABLE}_${day.replace(/-/g, '')}`;
          await client.query(
            `CREATE TABLE ${ident(side)}.${ident(part)} PARTITION OF ${ident(side)}.${ident(SILVER_TABLE)} FOR VALUES FROM ('${day}') TO ('${day}'::date + 1)`,
          );
          partitions.push(part);
          const csv = join(tmp, `rebuild.silver.${day}.csv`);
          const cols = columns.map((c) => ident(c.name)).join(', ');
          await duck.writeCsv(`SELECT ${cols} FROM ${readSource(files)}`, columns, csv);
          rows += await copyCsvInto(client, `${ident(side)}.${ident(SILVER_TABLE)}`, columns, csv);
          await rm(csv, { force: true });
        }
        built.push({ table: SILVER_TABLE, source: first, rows, partitions, days });
      }
    }
    await ensureStateTables(client, schema);
    await inTransaction(client, async () => {
      for (const b of built) {
        const known = await client.query(
          `SELECT 1 FROM ${s}.${STATE_TABLE} WHERE table_name = $1 FOR UPDATE`,
          [b.table],
        );
        const exists = await client.query(`SELECT to_regclass($1) IS NOT NULL AS e`, [
          `${s}.${ident(b.table)}`,
        ]);
        if (exists.rows[0]?.e) {
          if (known.rowCount === 0) {
            throw new ApiError({
              code: 'CONFLICT',
              message: `Table ${schema}.${b.table} already exists and was not created by the ClickPulse sink; nothing was changed.`,
            });
          }
          await client.query(`DROP TABLE ${s}.${ident(b.table)}`).catch((error: unknown) => {
            throw new ApiError({
              code: 'CONFLICT',
              message: `Cannot replace ${schema}.${b.table}: ${error instanceof Error ? error.message : String(error)} (drop or recreate dependent views after the rebuild). Nothing was changed.`,
            });
          });
        }
        await client.query(`ALTER TABLE ${ident(side)}.${ident(b.table)} SET SCHEMA ${s}`);
        for (const part of b.partitions)
          await client.query(`ALTER TABLE ${ident(side)}.${ident(part)} SET SCHEMA ${s}`);
        const source = b.table === SILVER_TABLE ? 'silver' : 'gold';
        const fingerprint = b.table === SILVER_TABLE ? 'days' : b.source.fingerprint;
        await client.query(
          `INSERT INTO ${s}.${STATE_TABLE} (table_name, source, fingerprint, rows, source_modified_at, applied_at)
           VALUES ($1, $2, $3, $4, to_timestamp($5 / 1000.0), now())
           ON CONFLICT (table_name) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, rows = EXCLUDED.rows,
             source_modified_at = EXCLUDED.source_modified_at, applied_at = EXCLUDED.applied_at`,
          [b.table, source, fingerprint, b.rows, b.source.modifiedMs],
        );
        await client.query(`DELETE FROM ${s}.${DAYS_TABLE} WHERE table_name = $1`, [b.table]);
        for (const [day, files] of b.days ?? []) {
          await client.query(
            `INSERT INTO ${s}.${DAYS_TABLE} (table_name, event_date, fingerprint, rows)
             SELECT $1, $2::date, $3, count(*) FROM ${s}.${ident(b.table)} WHERE event_date = $2::date`,
            [b.table, day, files.fingerprint],
          );
        }
      }
      await client.query(`DROP SCHEMA ${ident(side)}`);
    });
    return Object.fromEntries(built.map((b) => [b.table, b.rows]));
  } catch (error) {
    await client.query(`DROP SCHEMA IF EXISTS ${ident(side)} CASCADE`).catch(() => undefined);
    throw error;
  }
}
