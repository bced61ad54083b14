import { tableFromIPC } from 'apache-arrow';
import { useCallback, useMemo, useState } from 'react';
import type { Filter, QueryOpened, Sort } from '../../../pipeline/contract';
import type { Row } from '../components/grid/row-cache';
import { api } from './client';

/** Everything a DataGrid needs for one open query: pages fetched on demand with the current sort and filters. */
export function useQueryGrid(opened: QueryOpened | undefined) {
  const [sort, setSort] = useState<Sort>();
  const [filters, setFilters] = useState<Filter[]>([]);
  const [filtered, setFiltered] = useState<{ key: string; total: number; queryId: string }>();
  const key = JSON.stringify([opened?.queryId, sort, filters]);

  const fetchRows = useCallback(
    async (offset: number, limit: number): Promise<Row[]> => {
      if (!opened) return [];
      const answer = await api().call('query.page', {
        queryId: opened.queryId,
        offset,
        limit,
        ...(sort ? { sort } : {}),
        ...(filters.length ? { filters } : {}),
      });
      setFiltered({ key, total: answer.totalRows, queryId: opened.queryId });
      return decodeRows(answer.page);
    },
    // key captures opened, sort and filters
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );

  // Until the first page of a new sort/filter answers, keep the last known count so the grid asks for it.
  const totalRows =
    filtered && filtered.queryId === opened?.queryId
      ? Math.max(filtered.total, filtered.key === key ? 0 : 1)
      : (opened?.totalRows ?? 0);
  return useMemo(
    () => ({ fetchRows, totalRows, sort, setSort, filters, setFilters }),
    [fetchRows, totalRows, sort, filters],
  );
}

export function decodeRows(bytes: Uint8Array): Row[] {
  const table = tableFromIPC(bytes);
  const columns = table.schema.fields.map((_, i) => table.getChildAt(i));
  const rows: Row[] = [];
  for (let r = 0; r < table.numRows; r++) rows.push(columns.map((c) => c?.get(r) ?? null));
  return rows;
}
