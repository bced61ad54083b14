import {
  useEffect,
  useRef,
  useState,
  type CSSProperties,
  type MouseEvent,
  type ReactNode,
  type TouchEvent,
} from 'react';
import { columnKind, parseFilter, type ColumnFilter } from '../../lib/filter-parse';
import type { GridColumn } from './DataGrid';

interface Props {
  column: GridColumn;
  width: number;
  sort: 'asc' | 'desc' | undefined;
  onSort: ((direction: 'asc' | 'desc' | undefined) => void) | undefined;
  filter: ColumnFilter | undefined;
  onFilter: ((filter: ColumnFilter | undefined) => void) | undefined;
  /** Told when the typed filter cannot be applied (and when it can again). */
  onFilterError?: ((error: string | undefined) => void) | undefined;
  onInfo: (() => void) | undefined;
  resizeHandler: (event: MouseEvent | TouchEvent) => void;
  /** The column menu (hide, pin, move), beside the name. */
  menu?: ReactNode;
  /** Where a pinned column sticks (left offset), or undefined when it scrolls. */
  pinnedAt?: number | undefined;
}

const NEXT_SORT = { none: 'asc', asc: 'desc', desc: undefined } as const;

/** Name, type, sort toggle, filter box and a resize handle for one column. */
export function ColumnHeader({
  column,
  width,
  sort,
  onSort,
  filter,
  onFilter,
  onFilterError,
  onInfo,
  resizeHandler,
  menu,
  pinnedAt,
}: Props) {
  const [text, setText] = useState(filter ? filterText(filter) : '');
  const [error, setError] = useState<string>();
  const kind = columnKind(column.type);
  // The debounced callback reads these when it fires, not when the text changed: the props it saw then
  // may be stale by 350 ms (another column's edit landed meanwhile).
  const latest = useRef({ filter, onFilter, onFilterError });
  useEffect(() => {
    latest.current = { filter, onFilter, onFilterError };
  });
  // The filter text this box last applied; any other change of the filter prop came from outside.
  const shown = filter ? filterText(filter) : '';
  const [applied, setApplied] = useState(shown);
  if (shown !== applied) {
    // Removed from a chip or restored from elsewhere: show what is applied now.
    setApplied(shown);
    setText(shown);
    setError(undefined);
  }

  useEffect(() => {
    if (!latest.current.onFilter) return;
    const timer = setTimeout(() => {
      const { filter: current, onFilter: apply, onFilterError: report } = latest.current;
      const parsed = parseFilter(column.name, text, kind);
      const next = parsed && 'error' in parsed ? undefined : (parsed ?? undefined);
      const failure = parsed && 'error' in parsed ? parsed.error : undefined;
      setError(failure);
      report?.(failure);
      // An invalid filter is not applied, and neither is the one it replaced: the grid says which.
      const nextText = next ? filterText(next) : '';
      if (nextText !== (current ? filterText(current) : '')) {
        setApplied(nextText);
        apply?.(next);
      }
    }, 350);
    return () => clearTimeout(timer);
  }, [text, column.name, kind]);

  const sortLabel = sort === 'asc' ? 'ascending' : sort === 'desc' ? 'descending' : 'none';
  return (
    <div
      className={pinnedAt === undefined ? 'grid-colheader' : 'grid-colheader pinned'}
      role="columnheader"
      aria-sort={sortLabel}
      style={pinnedStyle(width, pinnedAt)}
    >
      <div className="grid-colheader-top">
        <button
          type="button"
          className="grid-sort"
          disabled={!onSort}
          aria-label={`Sort by ${column.name} (now ${sortLabel})`}
          onClick={() => onSort?.(NEXT_SORT[sort ?? 'none'])}
        >
          <span className="grid-colname">{column.name}</span>
          <span aria-hidden="true">{sort === 'asc' ? ' ▲' : sort === 'desc' ? ' ▼' : ''}</span>
        </button>
        {onInfo && (
          <button
            type="button"
            className="grid-info"
            aria-label={`Statistics of ${column.name}`}
            onClick={onInfo}
          >
            i
          </button>
        )}
        {menu}
      </div>
      <span className="grid-coltype" title={column.type}>
        {column.type}
      </span>
      {onFilter && (
        <input
          className={error ? 'grid-filter invalid' : 'grid-filter'}
          aria-label={`Filter ${column.name}`}
          aria-invalid={error ? true : undefined}
          title={error ?? filterHint(kind)}
          placeholder="filter…"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      )}
      <div
        className="grid-resize"
        onMouseDown={resizeHandler}
        onTouchStart={resizeHandler}
        aria-hidden="true"
      />
    </div>
  );
}

/** A pinned header or cell sticks at its offset from the grid's left edge while the rest scrolls. */
export function pinnedStyle(width: number, pinnedAt: number | undefined): CSSProperties {
  return pinnedAt === undefined ? { width } : { width, position: 'sticky', left: pinnedAt, zIndex: 1 };
}

/** How a filter is typed in its box (and shown on its chip). */
export function filterText(filter: ColumnFilter): string {
  switch (filter.op) {
    case 'contains':
      return filter.value ?? '';
    case 'null':
      return 'null';
    case 'notnull':
      return '!null';
    case 'between':
      return `${filter.value}..${filter.value2}`;
    default: {
      const symbols = { eq: '=', ne: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
      return `${symbols[filter.op]}${filter.value ?? ''}`;
    }
  }
}

function filterHint(kind: string): string {
  return kind === 'text'
    ? 'Text contains; =exact, !=value, null, !null'
    : 'Value; >, >=, <, <=, !=, low..high, null, !null';
}
