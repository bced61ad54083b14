import { ApiError, columnKind, type Column, type Filter, type Sort } from '../contract';

/** "name" with embedded quotes doubled: the only way a user-supplied identifier reaches SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A single-quoted SQL string literal (for paths our own code writes, never for user values). */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export interface BuiltSql {
  sql: string;
  params: string[];
}

/**
 * Wraps a source (a table name or a parenthesised SELECT) with filters, sort and paging. Filter values are
 * bound parameters; columns are checked against the source's own columns and quoted.
 */
export function buildSelect(
  source: string,
  columns: Column[],
  options: {
    filters?: Filter[] | undefined;
    sort?: Sort | undefined;
    select?: string;
    limit?: number;
    offset?: number;
    /** Read the sort backwards (the exact reverse, nulls first), for pages near its end; see pageSelect. */
    reverse?: boolean;
    /**
     * Our own expressions, never null, that tell any two rows apart (a file and a row in it, a rowid): ordered
     * after the sort column, so rows of equal values keep one order and every page of a sort is a slice of
     * the same whole. Without them each page's top-N may order a run of ties its own way, showing a row on two
     * pages and another on none.
     */
    tiebreak?: readonly string[] | undefined;
  },
): BuiltSql {
  const params: string[] = [];
  const param = (value: string | undefined, what: string) => {
    if (value === undefined || value === '') {
      throw new ApiError({ code: 'VALIDATION', message: `The filter on ${what} needs a value.` });
    }
    params.push(value);
    return `$${params.length}`;
  };
  const where = (options.filters ?? []).map((filter) => {
    const column = findColumn(columns, filter.column);
    const ident = quoteIdent(column.name);
    const kind = columnKind(column.type);
    const typed = (value: string | undefined) =>
      kind === 'text'
        ? param(value, column.name)
        : `CAST(${param(value, column.name)} AS ${castType(column.type)})`;
    switch (filter.op) {
      case 'contains':
        return `contains(lower(CAST(${ident} AS VARCHAR)), lower(${param(filter.value, column.name)}))`;
      case 'null':
        return `${ident} IS NULL`;
      case 'notnull':
        return `${ident} IS NOT NULL`;
      case 'between':
        return `${ident} BETWEEN ${typed(filter.value)} AND ${typed(filter.value2)}`;
      default: {
        const operators = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
        return `${ident} ${operators[filter.op]} ${typed(filter.value)}`;
      }
    }
  });
  let sql = `SELECT ${options.select ?? '*'} FROM ${source} AS source`;
  if (where.length) sql += ` WHERE ${where.join(' AND ')}`;
  if (options.sort) {
    const column = findColumn(columns, options.sort.column);
    const desc = (options.sort.direction === 'desc') !== (options.reverse ?? false);
    sql += ` ORDER BY ${quoteIdent(column.name)} ${desc ? 'DESC' : 'ASC'} NULLS ${options.reverse ? 'FIRST' : 'LAST'}`;
    for (const tie of options.tiebreak ?? []) sql += `, ${tie} ${options.reverse ? 'DESC' : 'ASC'}`;
  }
  if (options.limit !== undefined) sql += ` LIMIT ${Math.trunc(options.limit)}`;
  if (options.offset) sql += ` OFFSET ${Math.trunc(options.offset)}`;
  return { sql, params };
}

/**
 * One page of a sorted, filtered source. A page in the second half of a sort is read from the other end
 * (the reversed sort with a small offset, then put back in order): DuckDB's top-N keeps only offset + limit
 * rows, so the last page costs what the first does instead of a sort of every row.
 */
export function pageSelect(
  source: string,
  columns: Column[],
  options: {
    filters?: Filter[] | undefined;
    sort?: Sort | undefined;
    limit: number;
    offset: number;
    total: number;
    /** The columns to read (they must include the sort's); every column when left out. */
    select?: string;
    tiebreak?: readonly string[] | undefined;
  },
): BuiltSql {
  const { sort, limit, offset, total } = options;
  if (!sort || offset + limit / 2 <= total / 2) return buildSelect(source, columns, options);
  const end = Math.min(offset + limit, total);
  // The tail is put back in order outside its read, where only what it selects is known: it selects the
  // tiebreak too, under names of its own that the outer select then leaves out.
  const ties = (options.tiebreak ?? []).map((_, i) => quoteIdent(`__tie${i}`));
  const built = buildSelect(source, columns, {
    filters: options.filters,
    sort,
    select: [options.select ?? '*', ...(options.tiebreak ?? []).map((t, i) => `${t} AS ${ties[i]}`)].join(
      ', ',
    ),
    reverse: true,
    tiebreak: options.tiebreak,
    limit: Math.max(end - offset, 0),
    offset: total - end,
  });
  const column = quoteIdent(findColumn(columns, sort.column).name);
  const direction = sort.direction === 'desc' ? 'DESC' : 'ASC';
  const order = [`${column} ${direction} NULLS LAST`, ...ties].join(', ');
  const exclude = ties.length ? ` EXCLUDE (${ties.join(', ')})` : '';
  return {
    sql: `SELECT *${exclude} FROM (${built.sql}) AS tail ORDER BY ${order}`,
    params: built.params,
  };
}

export function findColumn(columns: Column[], name: string): Column {
  const column = columns.find((c) => c.name === name);
  if (!column) {
    throw new ApiError({
      code: 'VALIDATION',
      message: `Unknown column "${name}"; the columns are ${columns.map((c) => c.name).join(', ')}.`,
    });
  }
  return column;
}

/** DuckDB type names we may splice into a CAST: plain names with optional precision, nothing else. */
function castType(type: string): string {
  if (!/^[A-Z][A-Z0-9_ ]*(\(\d+(,\s*\d+)?\))?$/i.test(type)) {
    throw new ApiError({
      code: 'VALIDATION',
      message: `Columns of type ${type} cannot be compared; use "contains".`,
    });
  }
  return type;
}
