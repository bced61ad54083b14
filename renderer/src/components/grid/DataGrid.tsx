import {
  functionalUpdate,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type ColumnSizingState,
  type SortingState,
  type Updater,
} from '@tanstack/react-table';
import { observeElementOffset, useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type KeyboardEvent } from 'react';
import { toCsv, toMarkdown, toTsv } from '../../lib/clipboard-text';
import { CellInspector } from './CellInspector';
import { ColumnChooser } from './ColumnChooser';
import { ColumnHeader, pinnedStyle } from './ColumnHeader';
import { ColumnMenu } from './ColumnMenu';
import { canMove, EMPTY_LAYOUT, moveColumn, type GridLayout } from './column-layout';
import { GridChips, describeFilter } from './GridChips';
import './grid.css';
import { formatCellValue } from './cell-format';
import { RowCache, type FetchRows } from './row-cache';
import { itemCount, itemHeight, rowsOfItems } from './row-items';
import { geometry, realToVirtual, virtualToReal } from './scaled-scroll';
import { bounds, contains, rowSelection, type Selection } from './selection';
import type { ColumnFilter } from '../../lib/filter-parse';

export interface GridColumn {
  name: string;
  type: string;
}

/** A column as the grid's TanStack column carries it: with its place in the rows the server sends. */
interface ColumnMeta extends GridColumn {
  index: number;
}

export interface GridSort {
  column: string;
  direction: 'asc' | 'desc';
}

export interface DataGridProps {
  /** Accessible name of the grid ("silver.events"). */
  label: string;
  columns: GridColumn[];
  totalRows: number;
  /** Fetches rows [offset, offset + limit) with the current sort and filters applied server-side. */
  fetchRows: FetchRows;
  sort?: GridSort | undefined;
  onSortChange?: (sort: GridSort | undefined) => void;
  filters?: ColumnFilter[];
  onFiltersChange?: (filters: ColumnFilter[]) => void;
  onColumnInfo?: (column: GridColumn) => void;
  /** Start with every column narrowed (in proportion) to fit the grid's width; each stays resizable. */
  fit?: boolean;
  /** Hidden, pinned and reordered columns, held by the owner of the sort and filters; else by the grid. */
  layout?: GridLayout;
  onLayoutChange?: (update: (current: GridLayout) => GridLayout) => void;
  /** A button on each loaded row's number (e.g. the Lake's "Show the events behind this" on Gold rows). */
  rowAction?: RowAction | undefined;
}

export interface RowAction {
  label: string;
  /** Shown on the button; label is its accessible name (with the row number). */
  icon: string;
  onRow: (row: readonly unknown[]) => void;
}

const ROW_HEIGHT = 28;
const ROW_NUMBER_WIDTH = 72;

/**
 * A grid over a table of any size: it asks for windows of rows as they scroll into view (never the whole
 * table), sorts and filters on the server, and copies any selection as TSV, CSV or Markdown.
 */
export function DataGrid(props: DataGridProps) {
  const { columns, totalRows, fetchRows } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const [viewport, setViewport] = useState(400);
  const [gridWidth, setGridWidth] = useState(0);
  const [selection, setSelection] = useState<Selection>();
  const [columnSizing, setColumnSizing] = useState<ColumnSizingState>({});
  const [ownLayout, setOwnLayout] = useState<GridLayout>(EMPTY_LAYOUT);
  const layout = props.layout ?? ownLayout;
  const changeLayout = props.onLayoutChange ?? setOwnLayout;
  /** TanStack's change handlers for one part of the layout, applied to the layout's owner. */
  const layoutHandler =
    <K extends keyof GridLayout>(part: K) =>
    (updater: Updater<GridLayout[K]>) =>
      changeLayout((current) => ({ ...current, [part]: functionalUpdate(updater, current[part]) }));
  const [copied, setCopied] = useState<string>();
  const [inspecting, setInspecting] = useState(false);
  const closeInspector = useCallback(() => setInspecting(false), []);
  /** Filter boxes whose text cannot be applied, by column: shown on the grid, never sent. */
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  // Filter edits land in order: each builds on the last one sent, even before the parent re-renders.
  const filtersRef = useRef(props.filters ?? []);
  useEffect(() => {
    filtersRef.current = props.filters ?? [];
  }, [props.filters]);
  const onFiltersChange = props.onFiltersChange;
  const changeFilter = useCallback(
    (column: string, filter: ColumnFilter | undefined) => {
      const next = [...filtersRef.current.filter((f) => f.column !== column), ...(filter ? [filter] : [])];
      filtersRef.current = next;
      onFiltersChange?.(next);
    },
    [onFiltersChange],
  );
  const reportInvalid = useCallback((column: string, error: string | undefined) => {
    setInvalid((current) => {
      if (current[column] === error) return current;
      const rest = Object.fromEntries(Object.entries(current).filter(([name]) => name !== column));
      return error === undefined ? rest : { ...rest, [column]: error };
    });
  }, []);

  const cache = useMemo(() => new RowCache(fetchRows), [fetchRows]);
  const geo = geometry(totalRows, ROW_HEIGHT, viewport);
  const geoRef = useRef(geo);
  geoRef.current = geo;

  const fitWidth = props.fit ? gridWidth : 0;
  const defs = useMemo<ColumnDef<unknown[]>[]>(() => {
    const widths = columns.map(initialWidth);
    // Timestamps keep their width when fitting (a cut time says nothing); the other columns share the rest.
    const fixed = columns.map((c) => c.type.toUpperCase().startsWith('TIMESTAMP'));
    const sumFixed = widths.reduce((a, b, i) => a + (fixed[i] ? b : 0), 0);
    const sumOther = widths.reduce((a, b, i) => a + (fixed[i] ? 0 : b), 0);
    // Scroll bar and borders: a few pixels less than the grid, so the last column is not cut.
    const room = fitWidth - ROW_NUMBER_WIDTH - 20 - sumFixed;
    const factor = fitWidth > 0 && sumOther > 0 ? Math.min(1, room / sumOther) : 1;
    return columns.map((column, index) => ({
      id: column.name,
      header: column.name,
      accessorFn: (row) => row[index],
      size: fixed[index] ? (widths[index] ?? 190) : Math.max(60, Math.floor((widths[index] ?? 120) * factor)),
      minSize: 60,
      meta: { ...column, index } satisfies ColumnMeta,
    }));
  }, [columns, fitWidth]);
  const sorting: SortingState = props.sort
    ? [{ id: props.sort.column, desc: props.sort.direction === 'desc' }]
    : [];
  const table = useReactTable({
    data: [],
    columns: defs,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualFiltering: true,
    enableColumnResizing: true,
    columnResizeMode: 'onChange',
    state: { sorting, columnSizing, ...layout },
    onColumnSizingChange: setColumnSizing,
    onColumnVisibilityChange: layoutHandler('columnVisibility'),
    onColumnPinningChange: layoutHandler('columnPinning'),
    onColumnOrderChange: layoutHandler('columnOrder'),
  });
  // The columns as shown, pinned first: TanStack's header order, which the cells, selection and copy follow.
  const shown = (table.getHeaderGroups()[0]?.headers ?? []).map((header) => header.column);
  const shownMeta = shown.map((column) => column.columnDef.meta as ColumnMeta);
  const pinnedAt = (column: (typeof shown)[number]) =>
    column.getIsPinned() === 'left' ? ROW_NUMBER_WIDTH + column.getStart('left') : undefined;
  const layoutKey = JSON.stringify(layout);

  const virtualizer = useVirtualizer({
    // Items of ROWS_PER_ITEM rows each (see row-items.ts).
    count: itemCount(totalRows),
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => itemHeight(i, totalRows, ROW_HEIGHT),
    overscan: 1,
    // The scroll area may be shorter than the rows (see scaled-scroll.ts): translate both ways.
    observeElementOffset: (instance: Virtualizer<HTMLDivElement, Element>, callback) =>
      observeElementOffset(instance, (offset, isScrolling) =>
        callback(realToVirtual(offset, geoRef.current), isScrolling),
      ),
    scrollToFn: (offset, { behavior }, instance) =>
      instance.scrollElement?.scrollTo({
        top: virtualToReal(offset, geoRef.current),
        behavior: behavior ?? 'auto',
      }),
  });

  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      setViewport(element.clientHeight);
      setGridWidth(element.clientWidth);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const items = rowsOfItems(virtualizer.getVirtualItems(), totalRows, ROW_HEIGHT);
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (totalRows > 0) cache.ensure(first, last, rerender);
  }, [cache, first, last, totalRows]);
  // A selection is of shown places: another layout would put other columns under it.
  useEffect(() => setSelection(undefined), [cache, layoutKey]);

  const totalWidth = ROW_NUMBER_WIDTH + shown.reduce((sum, c) => sum + c.getSize(), 0);
  const scrollTop = scrollRef.current?.scrollTop ?? 0;
  const virtualTop = realToVirtual(scrollTop, geo);

  const selectionText = useCallback(
    (format: 'tsv' | 'csv' | 'markdown') => {
      if (!selection) return undefined;
      const b = bounds(selection);
      const picked = shownMeta.slice(b.left, b.right + 1);
      const header = picked.map((c) => c.name);
      const rows: string[][] = [];
      for (let r = b.top; r <= b.bottom; r++) {
        const row = cache.row(r);
        if (!row) return undefined;
        rows.push(picked.map((c) => formatCellValue(row[c.index], c.type)));
      }
      if (format === 'tsv') return toTsv(rows);
      return format === 'csv' ? toCsv(header, rows) : toMarkdown(header, rows);
    },
    // shownMeta follows layoutKey and columns
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [cache, columns, layoutKey, selection],
  );

  const copy = async (format: 'tsv' | 'csv' | 'markdown') => {
    const text = selectionText(format);
    if (text === undefined)
      return setCopied('Scroll the whole selection into view once to load it, then copy.');
    await navigator.clipboard.writeText(text);
    setCopied(`Copied as ${format.toUpperCase()}`);
  };

  // The inspector shows the cell the selection ends on (the last one clicked).
  const focusColumn = selection ? shownMeta[selection.focus.col] : undefined;
  const focusRow = selection ? cache.row(selection.focus.row) : undefined;
  const inspected =
    focusColumn && focusRow
      ? {
          column: focusColumn.name,
          type: focusColumn.type,
          text: formatCellValue(focusRow[focusColumn.index], focusColumn.type),
        }
      : undefined;

  const menuItems = (column: (typeof shown)[number]) => {
    const pinned = column.getIsPinned() === 'left';
    return [
      { label: 'Hide column', disabled: shown.length <= 1, run: () => column.toggleVisibility(false) },
      pinned
        ? { label: 'Unpin', run: () => column.pin(false) }
        : { label: 'Pin to the left', run: () => column.pin('left') },
      {
        label: 'Move left',
        disabled: !canMove(table, column.id, -1),
        run: () => moveColumn(table, column.id, -1),
      },
      {
        label: 'Move right',
        disabled: !canMove(table, column.id, 1),
        run: () => moveColumn(table, column.id, 1),
      },
    ];
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'c' && selection) {
      event.preventDefault();
      void copy('tsv');
    }
  };

  return (
    <div className="grid-frame">
      <div className="grid-toolbar" role="toolbar" aria-label="Selection">
        <span className="muted">
          {selection ? selectionSummary(selection) : 'Click a cell; shift-click to extend'}
        </span>
        <button type="button" disabled={!selection} onClick={() => void copy('csv')}>
          Copy as CSV
        </button>
        <button type="button" disabled={!selection} onClick={() => void copy('markdown')}>
          Copy as Markdown
        </button>
        <button type="button" disabled={!selection} onClick={() => setInspecting(true)}>
          Inspect
        </button>
        <ColumnChooser table={table} onReset={() => changeLayout(() => EMPTY_LAYOUT)} />
        {copied && <span role="status">{copied}</span>}
      </div>
      <GridChips
        sort={props.sort}
        filters={props.filters ?? []}
        invalid={invalid}
        {...(props.onSortChange ? { onRemoveSort: () => props.onSortChange?.(undefined) } : {})}
        {...(onFiltersChange ? { onRemoveFilter: (column: string) => changeFilter(column, undefined) } : {})}
      />
      <div className="grid-main">
        <div
          ref={scrollRef}
          className="grid-scroll"
          role="grid"
          aria-label={props.label}
          aria-rowcount={totalRows + 1}
          aria-colcount={shown.length}
          tabIndex={0}
          onKeyDown={onKeyDown}
        >
          <div className="grid-header" role="row" aria-rowindex={1} style={{ width: totalWidth }}>
            <div className="grid-rownum" role="columnheader" style={{ width: ROW_NUMBER_WIDTH }}>
              #
            </div>
            {table.getHeaderGroups()[0]?.headers.map((header) => {
              const column = header.column.columnDef.meta as ColumnMeta;
              return (
                <ColumnHeader
                  key={header.id}
                  column={column}
                  width={header.getSize()}
                  pinnedAt={pinnedAt(header.column)}
                  menu={<ColumnMenu column={column.name} items={menuItems(header.column)} />}
                  sort={props.sort?.column === column.name ? props.sort.direction : undefined}
                  onSort={
                    props.onSortChange &&
                    ((direction) => props.onSortChange?.(direction && { column: column.name, direction }))
                  }
                  filter={props.filters?.find((f) => f.column === column.name)}
                  onFilter={onFiltersChange && ((filter) => changeFilter(column.name, filter))}
                  onFilterError={(error) => reportInvalid(column.name, error)}
                  onInfo={props.onColumnInfo && (() => props.onColumnInfo?.(column))}
                  resizeHandler={header.getResizeHandler()}
                />
              );
            })}
          </div>
          {totalRows === 0 && (
            <div className="grid-empty" role="status">
              {props.filters?.length ? (
                <>
                  <strong>No rows match</strong> {props.filters.map(describeFilter).join(' and ')}
                </>
              ) : (
                <strong>No rows</strong>
              )}
            </div>
          )}
          <div className="grid-body" style={{ height: geo.realHeight, width: totalWidth }}>
            {items.map((item) => {
              const row = cache.row(item.index);
              const top = scrollTop + (item.start - virtualTop);
              return (
                <div
                  key={item.index}
                  className="grid-row"
                  role="row"
                  aria-rowindex={item.index + 2}
                  style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
                >
                  <div
                    className="grid-rownum"
                    role="rowheader"
                    style={{ width: ROW_NUMBER_WIDTH }}
                    onClick={() => setSelection(rowSelection(item.index, shown.length))}
                  >
                    {item.index + 1}
                    {props.rowAction && row && (
                      <RowActionButton action={props.rowAction} row={row} index={item.index} />
                    )}
                  </div>
                  {shown.map((column, col) => {
                    const meta = column.columnDef.meta as ColumnMeta;
                    const value = row?.[meta.index];
                    const at = pinnedAt(column);
                    return (
                      <div
                        key={column.id}
                        role="gridcell"
                        aria-colindex={col + 1}
                        aria-selected={contains(selection, item.index, col)}
                        className={`grid-cell ${cellClass(meta.type, value)}${at === undefined ? '' : ' pinned'}`}
                        style={pinnedStyle(column.getSize(), at)}
                        title={row ? fullValue(value, meta.type) : undefined}
                        onDoubleClick={() => setInspecting(true)}
                        onMouseDown={(event) => {
                          const focus = { row: item.index, col };
                          setSelection((current) =>
                            event.shiftKey && current
                              ? { anchor: current.anchor, focus }
                              : { anchor: focus, focus },
                          );
                        }}
                      >
                        {row ? formatCellValue(value, meta.type) : '…'}
                      </div>
                    );
                  })}
                </div>
              );
            })}
          </div>
        </div>
        {inspecting && inspected && <CellInspector {...inspected} onClose={closeInspector} />}
      </div>
      {cache.error && (
        <div role="alert" className="banner error">
          {cache.error}
        </div>
      )}
    </div>
  );
}

function RowActionButton({
  action,
  row,
  index,
}: {
  action: RowAction;
  row: readonly unknown[];
  index: number;
}) {
  return (
    <button
      type="button"
      className="grid-row-action"
      aria-label={`${action.label}, row ${index + 1}`}
      title={action.label}
      onClick={(event) => {
        event.stopPropagation();
        action.onRow(row);
      }}
    >
      {action.icon}
    </button>
  );
}

/** The whole value for the hover tooltip: long text and JSON are cut off in the cell. */
function fullValue(value: unknown, type: string): string | undefined {
  const text = formatCellValue(value, type);
  return text.length > 12 ? text : undefined;
}

function initialWidth(column: GridColumn): number {
  const type = column.type.toUpperCase();
  if (type.startsWith('TIMESTAMP')) return 190;
  if (/INT|DECIMAL|DOUBLE|FLOAT/.test(type)) return 120;
  return Math.min(Math.max(column.name.length * 9 + 60, 120), 280);
}

function cellClass(type: string, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  return /INT|DECIMAL|DOUBLE|FLOAT|REAL/.test(type.toUpperCase()) ? 'numeric' : '';
}

function selectionSummary(selection: Selection): string {
  const b = bounds(selection);
  const rows = b.bottom - b.top + 1;
  const cols = b.right - b.left + 1;
  return `${rows} row${rows === 1 ? '' : 's'} × ${cols} column${cols === 1 ? '' : 's'} selected`;
}
