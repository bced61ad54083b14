import type { Table } from '@tanstack/react-table';
import { useEffect, useRef, useState } from 'react';

/**
 * The toolbar's "Columns" dialog: a checkbox per column (the way back for a hidden one, which has no header
 * and so no menu), and a reset of the whole layout. Escape closes it back onto its button.
 */
export function ColumnChooser<T>(props: { table: Table<T>; onReset: () => void }) {
  const { table } = props;
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const columns = table.getAllLeafColumns();
  const hidden = columns.filter((c) => !c.getIsVisible()).length;
  const lastVisible = columns.length - hidden === 1;

  useEffect(() => {
    if (!open) return;
    dialog.current?.querySelector<HTMLElement>('input')?.focus();
    const outside = (event: MouseEvent) => {
      const target = event.target as Node;
      if (!dialog.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  return (
    <span className="grid-chooser">
      <button
        ref={button}
        type="button"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        Columns{hidden ? ` (${hidden} hidden)` : ''}…
      </button>
      {open && (
        <div
          ref={dialog}
          role="dialog"
          aria-label="Columns"
          className="grid-chooser-dialog"
          onKeyDown={(event) => {
            if (event.key !== 'Escape') return;
            event.stopPropagation();
            close();
          }}
        >
          {columns.map((column) => (
            <label key={column.id}>
              <input
                type="checkbox"
                checked={column.getIsVisible()}
                disabled={lastVisible && column.getIsVisible()}
                onChange={column.getToggleVisibilityHandler()}
              />
              {column.id}
              {column.getIsPinned() ? <span className="muted"> (pinned)</span> : null}
            </label>
          ))}
          <div className="grid-chooser-actions">
            <button type="button" onClick={() => table.toggleAllColumnsVisible(true)}>
              Show all
            </button>
            <button type="button" onClick={props.onReset}>
              Reset layout
            </button>
          </div>
        </div>
      )}
    </span>
  );
}
