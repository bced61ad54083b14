import type { ExportableTable } from '../../../../pipeline/contract';
import { EXCEL_MAX_ROWS } from '../../../../pipeline/contract';
import { formatBytes, formatInteger } from '../../lib/format';

interface Props {
  tables: ExportableTable[];
  chosen: Set<string>;
  excel: boolean;
  onChange: (chosen: Set<string>) => void;
}

/** The Gold tables with their row counts and what each is for; a checkbox per table. */
export function TableChooser({ tables, chosen, excel, onChange }: Props) {
  const toggle = (name: string) => {
    const next = new Set(chosen);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    onChange(next);
  };
  return (
    <fieldset className="export-card">
      <legend>Gold tables</legend>
      <div className="export-actions">
        <button type="button" onClick={() => onChange(new Set(tables.map((t) => t.name)))}>
          All
        </button>
        <button type="button" onClick={() => onChange(new Set())}>
          None
        </button>
        <span className="muted">
          {chosen.size} of {tables.length} chosen
        </span>
      </div>
      <table className="export-tables">
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col" className="num">
              Rows
            </th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col">What it holds</th>
          </tr>
        </thead>
        <tbody>
          {tables.map((t) => (
            <tr key={t.name}>
              <td>
                <label>
                  <input type="checkbox" checked={chosen.has(t.name)} onChange={() => toggle(t.name)} />{' '}
                  {t.name}
                </label>
              </td>
              <td className="num">{formatInteger(t.rows)}</td>
              <td className="num">{formatBytes(t.bytes)}</td>
              <td className="muted">
                {t.description}
                {excel && chosen.has(t.name) && t.rows > EXCEL_MAX_ROWS && (
                  <span className="error-text"> Too many rows for Excel.</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </fieldset>
  );
}
