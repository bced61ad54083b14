import type { TooltipContent } from './chart-types';

/**
 * The tooltip as DOM nodes with classes (see styles: .chart-tooltip-*): no markup string, no style
 * attribute. A marker's colour is set through the CSSOM, which a CSP does not govern.
 */
export function tooltipNode(content: TooltipContent): HTMLElement {
  const box = document.createElement('div');
  box.className = 'chart-tooltip-body';
  const add = (tag: string, className: string, text: string, parent: HTMLElement = box) => {
    const el = document.createElement(tag);
    el.className = className;
    el.textContent = text;
    parent.appendChild(el);
    return el;
  };
  if (typeof content === 'string') {
    for (const line of content.split('\n')) add('div', 'chart-tooltip-line', line);
    return box;
  }
  if (content.title) add('div', 'chart-tooltip-title', content.title);
  for (const row of content.rows) {
    const line = add('div', 'chart-tooltip-row', '');
    const marker = add('span', 'chart-tooltip-marker', '', line);
    if (row.color) marker.style.backgroundColor = row.color;
    else marker.classList.add('chart-tooltip-marker-none');
    add('span', 'chart-tooltip-label', row.label, line);
    add('span', 'chart-tooltip-value', row.value, line);
  }
  if (content.note) add('div', 'chart-tooltip-note', content.note);
  return box;
}
