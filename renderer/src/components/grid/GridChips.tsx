import type { ColumnFilter } from '../../lib/filter-parse';
import { filterText } from './ColumnHeader';
import type { GridSort } from './DataGrid';

/** "price > 100", "brand contains apple": how a filter reads on its chip and in the zero-rows message. */
export function describeFilter(filter: ColumnFilter): string {
  if (filter.op === 'contains') return `${filter.column} contains "${filter.value ?? ''}"`;
  if (filter.op === 'null') return `${filter.column} is null`;
  if (filter.op === 'notnull') return `${filter.column} is not null`;
  if (filter.op === 'between') return `${filter.column} between ${filter.value} and ${filter.value2}`;
  const text = filterText(filter);
  const [, op = '', value = ''] = /^(>=|<=|!=|=|>|<)(.*)$/.exec(text) ?? [];
  return `${filter.column} ${op} ${value}`;
}

/**
 * The active sort and filters as removable chips above the grid, and the filters that are not applied
 * because their text is invalid (they are marked, never sent).
 */
export function GridChips(props: {
  sort: GridSort | undefined;
  filters: ColumnFilter[];
  invalid: Record<string, string>;
  onRemoveSort?: () => void;
  onRemoveFilter?: (column: string) => void;
}) {
  const invalid = Object.entries(props.invalid);
  if (!props.sort && props.filters.length === 0 && invalid.length === 0) return null;
  return (
    <div className="grid-chips" role="list" aria-label="Active sort and filters">
      {props.sort && (
        <span role="listitem" className="grid-chip">
          Sorted by {props.sort.column} {props.sort.direction === 'asc' ? '▲' : '▼'}
          {props.onRemoveSort && (
            <button
              type="button"
              aria-label={`Remove sort by ${props.sort.column}`}
              onClick={props.onRemoveSort}
            >
              ×
            </button>
          )}
        </span>
      )}
      {props.filters.map((filter) => (
        <span role="listitem" className="grid-chip" key={filter.column}>
          {describeFilter(filter)}
          {props.onRemoveFilter && (
            <button
              type="button"
              aria-label={`Remove filter on ${filter.column}`}
              onClick={() => props.onRemoveFilter?.(filter.column)}
            >
              ×
            </button>
          )}
        </span>
      ))}
      {invalid.map(([column, error]) => (
        <span role="listitem" className="grid-chip invalid" key={`invalid-${column}`}>
          Filter on {column} not applied: {error}
        </span>
      ))}
    </div>
  );
}
