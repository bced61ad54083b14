/** The SQL console's history: the last 50 distinct queries, newest first, kept in this profile. */
const KEY = 'clickpulse.sql-history';
const MAX = 50;

export function loadHistory(): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed)
      ? parsed.filter((s): s is string => typeof s === 'string').slice(0, MAX)
      : [];
  } catch {
    return [];
  }
}

export function remember(history: string[], sql: string): string[] {
  const next = [sql, ...history.filter((s) => s !== sql)].slice(0, MAX);
  localStorage.setItem(KEY, JSON.stringify(next));
  return next;
}
