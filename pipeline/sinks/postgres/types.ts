import { ApiError } from '../../contract/envelope';

export interface Column {
  name: string;
  /** DuckDB's type name as DESCRIBE prints it, e.g. "DECIMAL(38,2)". */
  duck: string;
  /** The PostgreSQL type it becomes, e.g. "numeric(38,2)". */
  pg: string;
}

const exact: Record<string, string> = {
  BOOLEAN: 'boolean',
  TINYINT: 'smallint',
  SMALLINT: 'smallint',
  INTEGER: 'integer',
  BIGINT: 'bigint',
  UTINYINT: 'smallint',
  USMALLINT: 'integer',
  UINTEGER: 'bigint',
  UBIGINT: 'numeric(20,0)',
  HUGEINT: 'numeric(38,0)',
  FLOAT: 'real',
  DOUBLE: 'double precision',
  VARCHAR: 'text',
  DATE: 'date',
  // The lake's timestamps are UTC instants.
  'TIMESTAMP WITH TIME ZONE': 'timestamp with time zone',
  TIMESTAMP: 'timestamp with time zone',
  TIME: 'time without time zone',
  INTERVAL: 'interval',
  UUID: 'uuid',
};

/** The PostgreSQL type of a DuckDB column type; one the sink cannot carry exactly is an error naming it. */
export function pgType(duck: string, where: string): string {
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(duck);
  if (decimal) return `numeric(${decimal[1]},${decimal[2]})`;
  const type = exact[duck];
  if (!type) {
    throw new ApiError({
      code: 'FAILED',
      message: `${where} has type ${duck}, which the PostgreSQL sink cannot carry exactly.`,
    });
  }
  return type;
}

/** How information_schema names a type, to compare an existing column with the one wanted. */
export function sameType(
  wanted: string,
  existing: { data_type: string; precision: number | null; scale: number | null },
): boolean {
  const decimal = /^numeric\((\d+),(\d+)\)$/.exec(wanted);
  if (decimal) {
    return (
      existing.data_type === 'numeric' &&
      existing.precision === Number(decimal[1]) &&
      existing.scale === Number(decimal[2])
    );
  }
  const base = wanted.replace(/\(.*\)$/, '');
  return existing.data_type === base;
}

/** "a""b" style quoting for identifiers; names come from Parquet files, so always quote. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
