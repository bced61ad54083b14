import type { QueryOpened } from '../../../../pipeline/contract';
import type { useQueryGrid } from '../../api/useQueryGrid';
import { DataGrid, type GridColumn, type RowAction } from './DataGrid';

/** A DataGrid over an open query, with the query's server-side sort and filters wired in. */
export function QueryGrid(props: {
  label: string;
  opened: QueryOpened;
  grid: ReturnType<typeof useQueryGrid>;
  onColumnInfo?: (column: GridColumn) => void;
  rowAction?: RowAction | undefined;
}) {
  const { grid } = props;
  return (
    <DataGrid
      // Local state (typed filter text, selection, widths) belongs to one result, like its sort and filters.
      key={props.opened.queryId}
      label={props.label}
      columns={props.opened.columns}
      totalRows={grid.totalRows}
      fetchRows={grid.fetchRows}
      sort={grid.sort}
      onSortChange={grid.setSort}
      filters={grid.filters}
      onFiltersChange={grid.setFilters}
      layout={grid.layout}
      onLayoutChange={grid.setLayout}
      {...(props.onColumnInfo ? { onColumnInfo: props.onColumnInfo } : {})}
      rowAction={props.rowAction}
    />
  );
}
