import { tableFromIPC } from 'apache-arrow';
import { useCallback, useMemo, useState } from 'react';
import type { Filter, QueryOpened, Sort } from '../../../pipeline/contract';
import { EMPTY_LAYOUT, visibleColumnNames, type GridLayout } from '../components/grid/column-layout';
import { PAGE_SIZE, type Row } from '../components/grid/row-cache';
import { api } from './client';

/** The sort, filters and column layout (hidden, pinned, order) of one table or one query result. */
export interface GridState {
  sort?: Sort | undefined;
  filters: Filter[];
  layout: GridLayout;
}

const EMPTY: GridState = { filters: [], layout: EMPTY_LAYOUT };

/**
 * Each table's last sort and filters while the app runs (keyed by the caller's `rememberAs`, e.g. the table's
 * name), so coming back to a table finds it as it was left. Query results are never remembered.
 */
const remembered = new Map<string, GridState>();

function initialState(memoryKey: string | undefined): GridState {
  return (memoryKey ? remembered.get(memoryKey) : undefined) ?? EMPTY;
}

type Update<T> = T | ((current: T) => T);

type PageAnswer = Awaited<ReturnType<typeof askPage>>;
const askPage = (queryId: string, offset: number, limit: number, sort?: Sort, filters: Filter[] = []) =>
  api().call('query.page', {
    queryId,
    offset,
    limit,
    ...(sort ? { sort } : {}),
    ...(filters.length ? { filters } : {}),
  });
const pageKey = (queryId: string, offset: number, limit: number, sort?: Sort, filters: Filter[] = []) =>
  JSON.stringify([queryId, offset, limit, sort ?? null, filters]);
/** First pages asked for before their grid rendered, taken by the grid's first fetch (see prefetchFirstPage). */
const prefetched = new Map<string, Promise<PageAnswer>>();

/**
 * Asks for a just-opened query's first page at once, with the state its grid will start from, so the
 * server reads it while the grid renders (the grid's own first fetch would only start after that).
 */
export function prefetchFirstPage(opened: QueryOpened, rememberAs?: string): void {
  const { sort, filters } = initialState(rememberAs);
  const answer = askPage(opened.queryId, 0, PAGE_SIZE, sort, filters);
  answer.catch(() => undefined);
  prefetched.set(pageKey(opened.queryId, 0, PAGE_SIZE, sort, filters), answer);
  // Grids that never rendered (another table was opened at once) leave theirs: keep only the last few.
  for (const key of [...prefetched.keys()].slice(0, Math.max(0, prefetched.size - 4))) prefetched.delete(key);
}

/**
 * Everything a DataGrid needs for one open query: pages fetched on demand with its sort and filters. The
 * state belongs to that query: a new `opened` (another table, another result) starts from its remembered
 * state or from none, so a sort or filter never leaks onto columns it does not have.
 */
export function useQueryGrid(opened: QueryOpened | undefined, options: { rememberAs?: string } = {}) {
  const queryId = opened?.queryId;
  const memoryKey = options.rememberAs;
  const [held, setHeld] = useState<GridState & { queryId?: string | undefined }>(EMPTY);
  const state: GridState = held.queryId === queryId ? held : initialState(memoryKey);

  const update = useCallback(
    (change: (current: GridState) => GridState) => {
      setHeld((current) => {
        const next = change(current.queryId === queryId ? current : initialState(memoryKey));
        if (memoryKey)
          remembered.set(memoryKey, { sort: next.sort, filters: next.filters, layout: next.layout });
        return { ...next, queryId };
      });
    },
    [queryId, memoryKey],
  );
  const setSort = useCallback(
    (sort: Update<Sort | undefined>) =>
      update((s) => ({ ...s, sort: typeof sort === 'function' ? sort(s.sort) : sort })),
    [update],
  );
  // Functional updates apply in order: two edits in the same moment both land.
  const setFilters = useCallback(
    (filters: Update<Filter[]>) =>
      update((s) => ({ ...s, filters: typeof filters === 'function' ? filters(s.filters) : filters })),
    [update],
  );

  const setLayout = useCallback(
    (change: (current: GridLayout) => GridLayout) => update((s) => ({ ...s, layout: change(s.layout) })),
    [update],
  );

  const { sort, filters, layout } = state;
  // What a save writes: the columns the grid shows, in its order (hidden ones left out).
  const names = opened?.columns.map((c) => c.name);
  const visibleColumns = useMemo(
    () => (names ? visibleColumnNames(names, layout) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [opened, layout],
  );
  const [filtered, setFiltered] = useState<{
    key: string;
    total: number;
    queryId: string;
    counting: boolean;
  }>();
  const key = JSON.stringify([queryId, sort, filters]);

  const fetchRows = useCallback(
    async (offset: number, limit: number): Promise<Row[]> => {
      if (!opened) return [];
      const early = pageKey(opened.queryId, offset, limit, sort, filters);
      const asked = prefetched.get(early);
      prefetched.delete(early);
      const answer = await (asked ?? askPage(opened.queryId, offset, limit, sort, filters));
      setFiltered({
        key,
        total: answer.totalRows,
        queryId: opened.queryId,
        counting: answer.counting === true,
      });
      return decodeRows(answer.page);
    },
    // key captures opened, sort and filters
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );

  // Until the first page of a new sort/filter answers, keep the last known count so the grid asks for it.
  // A page read while the result was still being written counted the rows so far: the final count, once
  // `opened` has it, replaces that.
  const superseded = filtered?.counting === true && opened?.counting !== true;
  const totalRows =
    filtered && filtered.queryId === queryId && !superseded
      ? Math.max(filtered.total, filtered.key === key ? 0 : 1)
      : (opened?.totalRows ?? 0);
  return useMemo(
    () => ({ fetchRows, totalRows, sort, setSort, filters, setFilters, layout, setLayout, visibleColumns }),
    [fetchRows, totalRows, sort, filters, setSort, setFilters, layout, setLayout, visibleColumns],
  );
}

export function decodeRows(bytes: Uint8Array): Row[] {
  const table = tableFromIPC(bytes);
  const columns = table.schema.fields.map((_, i) => table.getChildAt(i));
  const rows: Row[] = [];
  for (let r = 0; r < table.numRows; r++) rows.push(columns.map((c) => c?.get(r) ?? null));
  return rows;
}
