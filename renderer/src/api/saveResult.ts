import type { QueryOpened } from '../../../pipeline/contract';
import type { PickOptions } from './transport';
import { api } from './client';
import type { useQueryGrid } from './useQueryGrid';

/**
 * Saves what the grid shows: the open result under its sort and filters, with only the visible columns, in
 * their shown order (pinned first). Asks for the path first; resolves to the saved path, or undefined when
 * the user chose none.
 */
export async function saveResult(
  opened: QueryOpened,
  grid: ReturnType<typeof useQueryGrid>,
  format: 'csv' | 'parquet',
  pick: (options: PickOptions) => Promise<string | null>,
): Promise<string | undefined> {
  const path = await pick({
    mode: 'save',
    title: `Save the result as ${format.toUpperCase()}`,
    filters: [{ name: format.toUpperCase(), extensions: [format] }],
  });
  if (!path) return undefined;
  const target = path.toLowerCase().endsWith(`.${format}`) ? path : `${path}.${format}`;
  const allShown =
    grid.visibleColumns.length === opened.columns.length &&
    grid.visibleColumns.every((name, i) => name === opened.columns[i]?.name);
  const saved = await api().call('query.save', {
    queryId: opened.queryId,
    path: target,
    format,
    ...(grid.sort ? { sort: grid.sort } : {}),
    ...(grid.filters.length ? { filters: grid.filters } : {}),
    ...(allShown ? {} : { columns: grid.visibleColumns }),
  });
  return saved.path;
}
