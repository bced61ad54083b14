import { quoteIdent, quoteLiteral } from '../../query/sql-builder';
import type { SourceFormat } from '../sources/read-source';
import type { SourceSpec } from './normalize-sql';

/**
 * How the replay reads each format with DuckDB, streaming (never the whole file in memory):
 * - CSV: every column as text (IDs exact), DuckDB's sniffed dialect; lines the reader cannot parse (wrong
 *   column count, invalid UTF-8) land in DuckDB's reject_errors table and go to the DLQ.
 * - JSON lines: read as lines, each parsed with json(): a line that is not JSON is a DLQ record with its
 *   line number, not an error for the whole file; fields are read as text from the JSON (exact for big
 *   integers).
 * - Parquet: typed columns cast to text.
 */
const CSV_BUFFER_BYTES = 4 << 20;

export function sourceSpec(path: string, format: SourceFormat): SourceSpec {
  const file = quoteLiteral(path);
  if (format === 'json') {
    return {
      // Lines are numbered before blank ones are dropped (a streaming window): the DLQ names the true line.
      select: `SELECT line AS __cp_raw, TRY(json(line)) AS __cp_json, __cp_line FROM (SELECT line, row_number() OVER () AS __cp_line FROM read_csv(${file}, columns = {'line': 'VARCHAR'}, header = false, auto_detect = false, delim = '\\x01', quote = '', escape = '', store_rejects = true)) WHERE trim(line) <> ''`,
      line: '__cp_line',
      column: (name) => `(__cp_json ->> ${quoteLiteral(name)})`,
      rawText: '__cp_raw',
      invalid: `CASE WHEN __cp_json IS NULL THEN 'line is not valid JSON' WHEN json_type(__cp_json) <> 'OBJECT' THEN 'line is not a JSON object' END`,
    };
  }
  // A 4 MB read buffer instead of DuckDB's 32 MB (16 × the 2 MB longest line): the same CPU, 70–90 MB less
  // peak RSS for a replay (1M REES46 rows streamed: 314–336 → 240–247 MB); lines up to 2 MB still fit.
  const reader =
    format === 'parquet'
      ? `read_parquet(${file})`
      : `read_csv(${file}, all_varchar = true, store_rejects = true, buffer_size = ${CSV_BUFFER_BYTES})`;
  return {
    select: `SELECT s AS __cp_raw, s.* FROM ${reader} AS s`,
    column: (name) => `CAST(${quoteIdent(name)} AS VARCHAR)`,
    rawText: 'to_json(__cp_raw)::VARCHAR',
    invalid: null,
    // DuckDB's CSV reader gives no line per parsed row; lines it rejects carry theirs (rejectsSql).
    line: null,
  };
}

/** Lines the CSV reader rejected after `afterLine`, one per line with its first problem (by column). */
export function rejectsSql(afterLine: number): string {
  return `SELECT line, first(csv_line) AS raw, arg_min(error_type || ': ' || error_message, column_idx) AS reason
FROM reject_errors WHERE line > ${afterLine} GROUP BY line ORDER BY line`;
}
