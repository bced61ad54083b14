import { useEffect } from 'react';
import { columnKind, type ColumnSummary } from '../../../../pipeline/contract';
import type { GridColumn } from '../../components/grid/DataGrid';
import { formatInteger, formatPercent, formatTimestamp } from '../../lib/format';

/**
 * Statistics of one column over the rows the filters show, computed on the server on request (a large table
 * must not stall on them): counts, bounds, a histogram for numbers and times, the top values for text.
 * Escape closes it.
 */
export function ColumnPanel(props: {
  column: GridColumn;
  value?: ColumnSummary;
  error?: string;
  onClose: () => void;
}) {
  const { column, value, error, onClose } = props;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);
  const time = columnKind(column.type) === 'time';
  const bound = (n: number) => (time ? formatTimestamp(n) : formatBound(n));
  const most = Math.max(
    1,
    ...(value?.histogram ?? []).map((b) => b.count),
    ...(value?.top ?? []).map((t) => t.count),
  );
  return (
    <aside className="column-panel" aria-label={`Column ${column.name}`}>
      <header>
        <h3>{column.name}</h3>
        <button type="button" aria-label="Close column statistics" onClick={onClose}>
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
      {value?.histogram && value.histogram.length > 0 && (
        <figure className="column-histogram">
          <figcaption>Histogram</figcaption>
          <ul aria-label={`Histogram of ${column.name}`}>
            {value.histogram.map((bin) => (
              <li key={bin.low} title={`${bound(bin.low)} – ${bound(bin.high)}: ${formatInteger(bin.count)}`}>
                <span className="bar" style={{ width: `${(bin.count / most) * 100}%` }} />
                <span className="sr-only">
                  {bound(bin.low)} to {bound(bin.high)}: {formatInteger(bin.count)}
                </span>
              </li>
            ))}
          </ul>
          <div className="column-histogram-axis muted">
            <span>{bound(value.histogram[0]?.low ?? 0)}</span>
            <span>{bound(value.histogram.at(-1)?.high ?? 0)}</span>
          </div>
        </figure>
      )}
      {value?.top && value.top.length > 0 && (
        <table className="column-top" aria-label={`Top values of ${column.name}`}>
          <caption>Top {value.top.length} values</caption>
          <tbody>
            {value.top.map((t) => (
              <tr key={t.value ?? '\u0000null'}>
                <th scope="row" className={t.value === null ? 'null' : undefined}>
                  {t.value ?? 'null'}
                </th>
                <td>
                  <span className="bar" style={{ width: `${(t.count / most) * 100}%` }} />
                  {formatInteger(t.count)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </aside>
  );
}

function formatBound(n: number): string {
  return Math.abs(n) >= 1000 ? formatInteger(Math.round(n)) : String(Math.round(n * 100) / 100);
}
