import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../../query/sql-builder';
import { scalar } from '../duckdb';
import { silverEventFiles } from '../files';
import { lakePaths } from '../layout';

/** Events in Silver, read from the Parquet footers (no data pages). */
export async function silverRowCount(db: DuckDBConnection, lake: string): Promise<number> {
  const files = await silverEventFiles(lakePaths(lake).silverEvents);
  if (files.length === 0) return 0;
  return scalar(
    db,
    `SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata([${files.map(quoteLiteral).join(', ')}])`,
  );
}
