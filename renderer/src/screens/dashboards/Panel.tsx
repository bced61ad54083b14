import { useEffect, useRef, useState } from 'react';
import type { DashboardRow } from '../../../../pipeline/contract';
import { Chart, type ChartClick, type ChartOption } from '../../components/Chart';
import { formatDecimal } from '../../lib/format';
import { isDark } from '../../lib/theme';
import { saveCsv, savePanelPng } from './panel-export';

type EChartsLike = {
  getDataURL(opts: { type: 'png'; pixelRatio: number; backgroundColor: string }): string;
  dispatchAction(action: { type: 'hideTip' }): void;
};

interface PanelProps {
  title: string;
  rows: DashboardRow[] | undefined;
  option: ChartOption | undefined;
  filterLines: string[];
  height?: number;
  /** How a click filters, said under the title (e.g. "click a bar to filter by its category"). */
  clickHint?: string;
  onClick?: (click: ChartClick) => void;
  /** What a click filters by, said in the menu a click opens ("Category: electronics"). */
  filterLabel?: (click: ChartClick) => string | undefined;
  /** "Show the events behind this": the Lineage link of a clicked figure, and of a row of the table. */
  drillOf?: (click: ChartClick) => string | undefined;
  rowDrill?: (index: number) => string | undefined;
  note?: string;
}

const fileName = (title: string) => title.replace(/\W+/g, '-').replace(/^-|-$/g, '').toLowerCase();

/** One chart with its data as a table, CSV and PNG (with the title and the active filters). */
export function Panel({
  title,
  rows,
  option,
  filterLines,
  height = 280,
  clickHint,
  onClick,
  filterLabel,
  drillOf,
  rowDrill,
  note,
}: PanelProps) {
  const [asTable, setAsTable] = useState(false);
  const [menu, setMenu] = useState<{ click: ChartClick; drill: string | undefined }>();
  // A click on a figure asks what to do with it: filter by it, or see the events behind it.
  const chart = useRef<EChartsLike | undefined>(undefined);
  const clicked = drillOf ? (click: ChartClick) => setMenu({ click, drill: drillOf(click) }) : onClick;
  // The menu takes the tooltip's place.
  useEffect(() => {
    if (menu) chart.current?.dispatchAction({ type: 'hideTip' });
  }, [menu]);
  const savePng = () => {
    const dark = isDark();
    const colours = dark
      ? { background: '#1e2128', text: '#e4e7ec', muted: '#9aa3b0' }
      : { background: '#ffffff', text: '#1d2330', muted: '#5f6b7a' };
    const url = chart.current?.getDataURL({
      type: 'png',
      pixelRatio: 2,
      backgroundColor: colours.background,
    });
    if (url) void savePanelPng(url, title, filterLines, colours, fileName(title));
  };
  return (
    <section className="panel" aria-label={title}>
      <header>
        <h3>{title}</h3>
        <div className="panel-actions">
          <button type="button" aria-pressed={asTable} onClick={() => setAsTable(!asTable)} disabled={!rows}>
            {asTable ? 'Chart' : 'Table'}
          </button>
          <button
            type="button"
            aria-label={`Save ${title} as CSV`}
            disabled={!rows}
            onClick={() => rows && saveCsv(rows, fileName(title))}
          >
            CSV
          </button>
          <button
            type="button"
            aria-label={`Save ${title} as PNG`}
            disabled={!option || asTable}
            onClick={savePng}
          >
            PNG
          </button>
        </div>
      </header>
      {(clickHint || note) && <p className="panel-note">{[note, clickHint].filter(Boolean).join(' · ')}</p>}
      {!rows || !option ? (
        <p className="muted panel-loading" style={{ height }}>
          Loading…
        </p>
      ) : asTable ? (
        <DataTable title={title} rows={rows} height={height} rowDrill={rowDrill} />
      ) : rows.length === 0 ? (
        <p className="muted panel-empty" style={{ height }}>
          No events match the filters in this period.
        </p>
      ) : (
        <div className="panel-chart">
          <Chart
            label={title}
            option={option}
            height={height}
            {...(clicked ? { onClick: clicked } : {})}
            onReady={(c) => (chart.current = c)}
          />
          {menu && (
            <FigureMenu
              title={title}
              at={menu.click}
              drill={menu.drill}
              filter={
                onClick && filterLabel?.(menu.click)
                  ? { label: filterLabel(menu.click) as string, run: () => onClick(menu.click) }
                  : undefined
              }
              onClose={() => setMenu(undefined)}
            />
          )}
        </div>
      )}
    </section>
  );
}

/** The menu a click on a figure opens, where it was clicked; Escape or a click elsewhere closes it. */
function FigureMenu({
  title,
  at,
  drill,
  filter,
  onClose,
}: {
  title: string;
  at: ChartClick;
  drill: string | undefined;
  filter: { label: string; run: () => void } | undefined;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('a, button')?.focus();
    const away = (e: MouseEvent) => !ref.current?.contains(e.target as Node) && onClose();
    const escape = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    // Added after this click has finished, so the click that opened the menu does not close it.
    const timer = setTimeout(() => document.addEventListener('mousedown', away));
    document.addEventListener('keydown', escape);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('mousedown', away);
      document.removeEventListener('keydown', escape);
    };
  }, [onClose]);
  return (
    <div
      ref={ref}
      className="figure-menu"
      role="menu"
      aria-label={`${title}: ${at.name || at.seriesName || 'figure'}`}
      style={{ left: at.x ?? 0, top: at.y ?? 0 }}
    >
      {filter && (
        <button
          type="button"
          role="menuitem"
          onClick={() => {
            onClose();
            filter.run();
          }}
        >
          Filter by {filter.label}
        </button>
      )}
      {drill ? (
        <a role="menuitem" href={drill} onClick={onClose}>
          Show the events behind this
        </a>
      ) : (
        <span className="muted">No events behind this figure.</span>
      )}
    </div>
  );
}

function DataTable({
  title,
  rows,
  height,
  rowDrill,
}: {
  title: string;
  rows: DashboardRow[];
  height: number;
  rowDrill: ((index: number) => string | undefined) | undefined;
}) {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return (
    <div className="panel-table" style={{ maxHeight: height }}>
      <table aria-label={`${title} data`}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
            {rowDrill && <th scope="col" aria-label="Events" />}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {columns.map((c) => {
                const v = r[c];
                return (
                  <td key={c} className={typeof v === 'number' ? 'num' : undefined}>
                    {typeof v === 'number'
                      ? Number.isInteger(v)
                        ? v.toLocaleString('en-US')
                        : formatDecimal(v)
                      : (v ?? '')}
                  </td>
                );
              })}
              {rowDrill && <RowDrill href={rowDrill(i)} />}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RowDrill({ href }: { href: string | undefined }) {
  return (
    <td className="row-drill">
      {href && (
        <a href={href} title="Show the events behind this row">
          events ›
        </a>
      )}
    </td>
  );
}
