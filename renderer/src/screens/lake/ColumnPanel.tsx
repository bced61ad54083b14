import type { ColumnSummary } from '../../../../pipeline/contract';
import type { GridColumn } from '../../components/grid/DataGrid';
import { formatInteger, formatPercent } from '../../lib/format';

/** Statistics of one column, computed on request (a large table must not stall on them). */
export function ColumnPanel(props: {
  column: GridColumn;
  value?: ColumnSummary;
  error?: string;
  onClose: () => void;
}) {
  const { column, value, error } = props;
  return (
    <aside className="column-panel" aria-label={`Column ${column.name}`}>
      <header>
        <h3>{column.name}</h3>
        <button type="button" aria-label="Close column statistics" onClick={props.onClose}>
          ×
        </button>
      </header>
      <p className="muted">{column.type}</p>
      {!value && !error && <p className="muted">Computing…</p>}
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      {value && (
        <dl>
          <dt>Rows</dt>
          <dd>{formatInteger(value.rows)}</dd>
          <dt>Nulls</dt>
          <dd>
            {formatInteger(value.nulls)} ({formatPercent(value.rows ? value.nulls / value.rows : 0, 1)})
          </dd>
          <dt>Min</dt>
          <dd>{value.min ?? '–'}</dd>
          <dt>Max</dt>
          <dd>{value.max ?? '–'}</dd>
          <dt>Distinct (approx.)</dt>
          <dd>{formatInteger(value.distinct)}</dd>
        </dl>
      )}
    </aside>
  );
}
