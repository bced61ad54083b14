import { useEffect } from 'react';

/**
 * One cell's whole value beside the grid: JSON (Bronze's `value`, headers, structs) as a collapsible tree,
 * anything else as wrapped text. Escape closes it.
 */
export function CellInspector(props: { column: string; type: string; text: string; onClose: () => void }) {
  const { onClose } = props;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);
  const json = parseJson(props.text);
  return (
    <aside className="cell-inspector" aria-label="Cell inspector">
      <header>
        <h3>{props.column}</h3>
        <button type="button" aria-label="Close the cell inspector" onClick={onClose}>
          ×
        </button>
      </header>
      <p className="muted">{props.type}</p>
      {json === undefined ? (
        <pre className="cell-inspector-text">{props.text}</pre>
      ) : (
        <div className="json-tree" role="tree" aria-label={`JSON of ${props.column}`}>
          <JsonNode name={undefined} value={json} />
        </div>
      )}
    </aside>
  );
}

function JsonNode({ name, value }: { name: string | undefined; value: unknown }) {
  const label = name === undefined ? null : <span className="json-key">{name}: </span>;
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value as Record<string, unknown>);
    const brackets = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
    return (
      <details open role="treeitem" aria-label={name ?? 'value'}>
        <summary>
          {label}
          {brackets[0]}
          <span className="muted"> {entries.length} </span>
          {brackets[1]}
        </summary>
        <div className="json-children" role="group">
          {entries.map(([key, child]) => (
            <JsonNode key={key} name={key} value={child} />
          ))}
        </div>
      </details>
    );
  }
  return (
    <div role="treeitem" aria-label={name ?? 'value'} className="json-leaf">
      {label}
      <span className={`json-${value === null ? 'null' : typeof value}`}>{JSON.stringify(value)}</span>
    </div>
  );
}

/** Objects and arrays only: a bare number or string reads better as text. */
function parseJson(text: string): unknown {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
