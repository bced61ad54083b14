import { tableFromIPC } from 'apache-arrow';
import { api } from './client';

/** Runs one read-only SELECT and returns its rows as plain objects (for charts: small results only). */
export async function queryRows(sql: string, limit = 10_000): Promise<Record<string, unknown>[]> {
  const opened = await api().call('query.run', { sql });
  try {
    if (opened.totalRows === 0) return [];
    const { page } = await api().call('query.page', { queryId: opened.queryId, offset: 0, limit });
    return tableFromIPC(page)
      .toArray()
      .map((row: { toJSON(): Record<string, unknown> }) => row.toJSON());
  } finally {
    void api().call('query.close', { queryId: opened.queryId });
  }
}

export const num = (value: unknown): number =>
  typeof value === 'bigint' ? Number(value) : Number(value ?? 0);
