import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../../query/sql-builder';
import { scalar } from '../duckdb';
import { lakePaths } from '../layout';

/** Events in Silver, read from the Parquet footers (no data pages). */
export async function silverRowCount(db: DuckDBConnection, lake: string): Promise<number> {
  const dir = lakePaths(lake).silverEvents;
  if (!existsSync(dir)) return 0;
  return scalar(
    db,
    `SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata(${quoteLiteral(join(dir, '**', '*.parquet'))})`,
  );
}
