import { useState } from 'react';
import type { Catalog, CatalogTable } from '../../../../pipeline/contract';

const LAYERS = ['bronze', 'silver', 'gold', 'files'] as const;

/** Layers → tables → columns with their types; a click inserts the name at the editor's cursor. */
export function SchemaSidebar(props: { catalog: Catalog | undefined; onInsert: (name: string) => void }) {
  const { catalog } = props;
  return (
    <nav className="sql-schema" aria-label="Schema">
      {!catalog && <p className="muted">Reading the lake…</p>}
      {catalog &&
        LAYERS.map((layer) => {
          const tables = catalog.tables.filter((t) => t.layer === layer);
          if (tables.length === 0) return null;
          return (
            <details key={layer} open>
              <summary>{layer}</summary>
              <ul className="tree">
                {tables.map((table) => (
                  <TableEntry key={table.name} table={table} layer={layer} onInsert={props.onInsert} />
                ))}
              </ul>
            </details>
          );
        })}
    </nav>
  );
}

function quoteName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** A table's name (inserted on click) and a toggle showing its columns. */
function TableEntry(props: { table: CatalogTable; layer: string; onInsert: (name: string) => void }) {
  const { table } = props;
  const [open, setOpen] = useState(false);
  return (
    <li>
      <button
        type="button"
        className="sql-schema-toggle"
        aria-expanded={open}
        aria-label={`Columns of ${table.name}`}
        onClick={() => setOpen((o) => !o)}
      >
        {open ? '▾' : '▸'}
      </button>
      <button
        type="button"
        className="sql-schema-name"
        aria-label={`Insert ${table.name}`}
        onClick={() => props.onInsert(table.name)}
      >
        {table.name.slice(props.layer.length + 1)}
      </button>
      {open && (
        <ul className="tree sql-schema-columns" aria-label={`Columns of ${table.name}`}>
          {table.columns.map((column) => (
            <li key={column.name}>
              <button
                type="button"
                className="sql-schema-name"
                aria-label={`Insert ${column.name}`}
                onClick={() => props.onInsert(quoteName(column.name))}
              >
                {column.name}
              </button>{' '}
              <span className="muted">{column.type}</span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
