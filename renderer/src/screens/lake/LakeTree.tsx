import type { Catalog } from '../../../../pipeline/contract';
import { formatBytes, formatInteger } from '../../lib/format';

const LAYERS = [
  ['bronze', 'Bronze (raw)'],
  ['silver', 'Silver (clean)'],
  ['gold', 'Gold (metrics)'],
  ['files', 'Opened folders'],
] as const;

/** Layers → tables → partitions, with row counts and sizes. */
export function LakeTree({
  catalog,
  selected,
  onSelect,
}: {
  catalog: Catalog;
  selected: string | undefined;
  onSelect: (name: string) => void;
}) {
  return (
    <nav aria-label="Layers">
      {LAYERS.map(([layer, label]) => {
        const tables = catalog.tables.filter((t) => t.layer === layer);
        if (layer === 'files' && tables.length === 0) return null;
        return (
          <details key={layer} open>
            <summary>{label}</summary>
            {tables.length === 0 && <p className="muted tree-empty">No tables yet</p>}
            <ul className="tree">
              {tables.map((table) => (
                <li key={table.name}>
                  <button
                    type="button"
                    aria-current={table.name === selected ? 'true' : undefined}
                    onClick={() => onSelect(table.name)}
                  >
                    <span>{table.name.split('.').slice(1).join('.')}</span>
                    <span className="muted">{formatInteger(table.rows)}</span>
                  </button>
                  {table.name === selected && table.partitions.length > 1 && (
                    <ul className="tree partitions" aria-label={`Partitions of ${table.name}`}>
                      {table.partitions.map((p) => (
                        <li key={p.name} title={`${p.files} files, ${formatBytes(p.bytes)}`}>
                          {p.name} <span className="muted">{formatInteger(p.rows)}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          </details>
        );
      })}
    </nav>
  );
}
