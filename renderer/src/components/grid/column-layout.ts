import {
  createTable,
  getCoreRowModel,
  type ColumnOrderState,
  type ColumnPinningState,
  type Table,
  type VisibilityState,
} from '@tanstack/react-table';

/**
 * Which columns a grid shows, pinned to the left and in what order: TanStack Table's own visibility, pinning
 * and ordering state, kept with the table's sort and filters (see useQueryGrid).
 */
export interface GridLayout {
  columnVisibility: VisibilityState;
  columnPinning: ColumnPinningState;
  columnOrder: ColumnOrderState;
}

export const EMPTY_LAYOUT: GridLayout = { columnVisibility: {}, columnPinning: {}, columnOrder: [] };

export function isDefaultLayout(layout: GridLayout): boolean {
  return (
    Object.values(layout.columnVisibility).every((visible) => visible) &&
    !layout.columnPinning.left?.length &&
    !layout.columnPinning.right?.length &&
    layout.columnOrder.length === 0
  );
}

/**
 * The visible columns' names in the order the grid shows them (pinned first), as TanStack Table orders its
 * headers: what a save writes, so the file holds what the user sees.
 */
export function visibleColumnNames(names: string[], layout: GridLayout): string[] {
  const table = createTable<unknown[]>({
    data: [],
    columns: names.map((name) => ({ id: name, header: name })),
    getCoreRowModel: getCoreRowModel(),
    state: { ...layout, columnSizing: {} },
    onStateChange: () => undefined,
    renderFallbackValue: null,
  });
  return table.getHeaderGroups()[0]?.headers.map((header) => header.column.id) ?? names;
}

/**
 * Moves a visible column one place left (-1) or right (+1) among the visible columns of its own group
 * (pinned or not), by swapping it with that neighbour in TanStack's pinning or order state.
 */
export function moveColumn<T>(table: Table<T>, id: string, delta: -1 | 1): void {
  const column = table.getColumn(id);
  if (!column) return;
  const pinned = column.getIsPinned() === 'left';
  const group = pinned ? table.getLeftVisibleLeafColumns() : table.getCenterVisibleLeafColumns();
  const neighbour = group[group.findIndex((c) => c.id === id) + delta];
  if (!neighbour) return;
  const swap = (ids: string[]) => {
    const a = ids.indexOf(id);
    const b = ids.indexOf(neighbour.id);
    const next = [...ids];
    next[a] = neighbour.id;
    next[b] = id;
    return next;
  };
  if (pinned) table.setColumnPinning((p) => ({ ...p, left: swap(p.left ?? []) }));
  // getAllLeafColumns is already in the current order (columnOrder applied), hidden columns included.
  else table.setColumnOrder(swap(table.getAllLeafColumns().map((c) => c.id)));
}

/** Whether the column can move that way (it has a visible neighbour in its own group). */
export function canMove<T>(table: Table<T>, id: string, delta: -1 | 1): boolean {
  const column = table.getColumn(id);
  if (!column) return false;
  const group =
    column.getIsPinned() === 'left' ? table.getLeftVisibleLeafColumns() : table.getCenterVisibleLeafColumns();
  return group[group.findIndex((c) => c.id === id) + delta] !== undefined;
}
