import { useRef, useState } from 'react';
import type { DashboardRow } from '../../../../pipeline/contract';
import { Chart, type ChartClick, type ChartOption } from '../../components/Chart';
import { formatDecimal } from '../../lib/format';
import { isDark } from '../../lib/theme';
import { saveCsv, savePanelPng } from './panel-export';

type EChartsLike = { getDataURL(opts: { type: 'png'; pixelRatio: number; backgroundColor: string }): string };

interface PanelProps {
  title: string;
  rows: DashboardRow[] | undefined;
  option: ChartOption | undefined;
  filterLines: string[];
  height?: number;
  /** How a click filters, said under the title (e.g. "click a bar to filter by its category"). */
  clickHint?: string;
  onClick?: (click: ChartClick) => void;
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
  note,
}: PanelProps) {
  const [asTable, setAsTable] = useState(false);
  const chart = useRef<EChartsLike | undefined>(undefined);
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
        <DataTable title={title} rows={rows} height={height} />
      ) : rows.length === 0 ? (
        <p className="muted panel-empty" style={{ height }}>
          No events match the filters in this period.
        </p>
      ) : (
        <Chart
          label={title}
          option={option}
          height={height}
          onClick={onClick}
          onReady={(c) => (chart.current = c)}
        />
      )}
    </section>
  );
}

function DataTable({ title, rows, height }: { title: string; rows: DashboardRow[]; height: number }) {
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
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
