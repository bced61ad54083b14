import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../../query/sql-builder';
import { withEventRules } from './event-rules';
import parseSqlWithMarker from './parse.sql?raw';
import keysSql from './keys.sql?raw';
import dedupSql from './dedup.sql?raw';
import eventsSql from './events.sql?raw';
import ledgerSql from './ledger.sql?raw';

const parseSql = withEventRules(parseSqlWithMarker);

/** The ledger's columns when Silver has seen nothing yet on a day (what dedup.sql reads of silver_prior). */
const NO_PRIOR = `SELECT NULL::DATE AS event_date, NULL::VARCHAR AS event_id, NULL::VARCHAR AS lineage,
  NULL::VARCHAR AS source_id, NULL::VARCHAR AS user_id, NULL::TIMESTAMPTZ AS event_time, NULL::VARCHAR AS outcome
  WHERE false`;

/**
 * Silver's rules over the view bronze_batch, each a SQL file in this folder, in two calls (the days the batch
 * touches are known between them, and say which ledger files it is checked against). The batch build and the
 * streaming step both use them.
 *
 * parseBronze: parse.sql (silver_parsed: every message, with its quarantine reason) and keys.sql (silver_valid).
 */
export async function parseBronze(db: DuckDBConnection): Promise<void> {
  await db.run(`DROP TABLE IF EXISTS silver_parsed; DROP TABLE IF EXISTS silver_valid;
    CREATE TEMP TABLE silver_parsed AS ${parseSql};
    CREATE TEMP TABLE silver_valid AS ${keysSql};`);
}

/**
 * dedup.sql against `priorLedger`, the ledger files of what Silver saw before (silver_classified), ledger.sql
 * (silver_ledger_new: this batch's ledger rows) and events.sql (silver_new: the kept events, sessionized).
 */
export async function classifyBatch(db: DuckDBConnection, priorLedger: string[]): Promise<void> {
  const prior = priorLedger.length
    ? `SELECT event_date, event_id, lineage, source_id, user_id, event_time, outcome
       FROM read_parquet([${priorLedger.map(quoteLiteral).join(', ')}], hive_partitioning = true)`
    : NO_PRIOR;
  await db.run(`DROP TABLE IF EXISTS silver_classified; DROP TABLE IF EXISTS silver_ledger_new;
    DROP TABLE IF EXISTS silver_new; DROP VIEW IF EXISTS silver_prior; DROP VIEW IF EXISTS silver_kept;
    CREATE TEMP VIEW silver_prior AS ${prior};
    CREATE TEMP TABLE silver_classified AS ${dedupSql};
    CREATE TEMP TABLE silver_ledger_new AS ${ledgerSql};
    CREATE TEMP VIEW silver_kept AS SELECT rowid AS kept_rid, * FROM silver_classified WHERE outcome = 'kept';
    CREATE TEMP TABLE silver_new AS ${eventsSql};`);
}

/** UTC days the current batch has valid events on (after runSilverRules or keys.sql). */
export async function batchDates(db: DuckDBConnection, table = 'silver_valid'): Promise<string[]> {
  const rows = await db.runAndReadAll(`SELECT DISTINCT CAST(event_date AS VARCHAR) FROM ${table} ORDER BY 1`);
  return rows.getRowsJS().map(([d]) => String(d));
}
