/**
 * Hands a query from another screen (the Lake's "Open in SQL") to the SQL console, which opens it in a new
 * tab when it mounts. A module variable is enough: both screens live in the same page.
 */
let pending: string | undefined;

export function openInSql(sql: string): void {
  pending = sql;
  window.location.hash = '#/sql';
}

export function takePendingSql(): string | undefined {
  const sql = pending;
  pending = undefined;
  return sql;
}

/** A first look at a table: every column, the first 1,000 rows. */
export function tableQuery(table: string): string {
  const quoted = table
    .split('.')
    .map((part) => (/^[a-z_][a-z0-9_]*$/.test(part) ? part : `"${part.replace(/"/g, '""')}"`))
    .join('.');
  return `SELECT *\nFROM ${quoted}\nLIMIT 1000`;
}
