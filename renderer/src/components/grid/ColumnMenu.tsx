import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';

export interface ColumnMenuItem {
  label: string;
  disabled?: boolean;
  run: () => void;
}

/**
 * A header's menu button and its menu (hide, pin, move): WAI-ARIA menu button keyboard use — Enter/Space or
 * ArrowDown opens it on the first item, arrows move, Escape closes it back onto the button. The menu is
 * placed fixed under the button, since the header clips what overflows it.
 */
export function ColumnMenu(props: { column: string; items: ColumnMenuItem[] }) {
  const [open, setOpen] = useState(false);
  const [place, setPlace] = useState<{ top: number; left: number }>();
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    if (!open || !button.current) return;
    const rect = button.current.getBoundingClientRect();
    setPlace({ top: rect.bottom + 2, left: Math.max(4, Math.min(rect.left, window.innerWidth - 200)) });
  }, [open]);

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus();
    const outside = (event: MouseEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open, place]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  const onMenuKey = (event: KeyboardEvent) => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const step = (delta: number) => items[(at + delta + items.length) % items.length]?.focus();
    if (event.key === 'Escape') close();
    else if (event.key === 'ArrowDown') step(1);
    else if (event.key === 'ArrowUp') step(-1);
    else if (event.key === 'Home') items[0]?.focus();
    else if (event.key === 'End') items[items.length - 1]?.focus();
    else if (event.key === 'Tab') setOpen(false);
    else return;
    if (event.key !== 'Tab') event.preventDefault();
    event.stopPropagation();
  };

  return (
    <>
      <button
        ref={button}
        type="button"
        className="grid-menu-button"
        aria-label={`Column menu of ${props.column}`}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        ⋮
      </button>
      {open && (
        <div
          ref={menu}
          role="menu"
          aria-label={`Column ${props.column}`}
          className="grid-menu"
          style={place ? { top: place.top, left: place.left } : { visibility: 'hidden' }}
          onKeyDown={onMenuKey}
        >
          {props.items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              tabIndex={-1}
              aria-disabled={item.disabled || undefined}
              onClick={() => {
                if (item.disabled) return;
                item.run();
                close();
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </>
  );
}
