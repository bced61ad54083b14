import { useEffect, useState } from 'react';
import {
  GOLD_GRAIN_KEYS,
  type Catalog,
  type CatalogTable,
  type ColumnSummary,
  type QueryOpened,
} from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { saveResult } from '../../api/saveResult';
import { useCall } from '../../api/hooks';
import { prefetchFirstPage, useQueryGrid } from '../../api/useQueryGrid';
import { EmptyState } from '../../components/EmptyState';
import type { GridColumn } from '../../components/grid/DataGrid';
import { QueryGrid } from '../../components/grid/QueryGrid';
import { formatBytes, formatInteger, formatTimestamp } from '../../lib/format';
import { usePathPicker } from '../../lib/usePathPicker';
import { lineageLink } from '../explore/lineage-link';
import { openInSql, tableQuery } from '../sql/open-in-sql';
import { ColumnPanel } from './ColumnPanel';
import './lake.css';
import { LakeTree } from './LakeTree';

/** Browse every layer: a tree of tables and partitions, and a grid over the chosen table. */
export function LakeScreen() {
  const [version, setVersion] = useState(0);
  const loaded = useCall('lake.catalog', {}, [version]);
  const catalog: Catalog | undefined = loaded.state === 'ready' ? loaded.value : undefined;
  const [actionError, setError] = useState<string>();
  const error = actionError ?? (loaded.state === 'error' ? loaded.message : undefined);
  const [selected, setSelected] = useState<string>();
  // The open table and its name together: its grid state is remembered under that name.
  const [openTable, setOpenTable] = useState<{ name: string; result: QueryOpened }>();
  const opened = openTable?.result;
  const [summary, setSummary] = useState<{ column: GridColumn; value?: ColumnSummary; error?: string }>();
  const picker = usePathPicker();
  const grid = useQueryGrid(opened, openTable ? { rememberAs: openTable.name } : {});
  // A table left behind is closed on the server (its connection and pages are freed).
  useEffect(() => {
    if (!opened) return;
    const queryId = opened.queryId;
    return () =>
      void api()
        .call('query.close', { queryId })
        .catch(() => undefined);
  }, [opened]);

  const refresh = () => setVersion((v) => v + 1);
  const [saved, setSaved] = useState<string>();

  const save = async (format: 'csv' | 'parquet') => {
    if (!opened) return;
    setSaved(undefined);
    setError(undefined);
    try {
      const path = await saveResult(opened, grid, format, picker.pick);
      if (path) setSaved(`Saved ${path}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const select = async (name: string) => {
    setSelected(name);
    setSummary(undefined);
    setError(undefined);
    setSaved(undefined);
    try {
      const result = await api().call('query.table', { table: name });
      prefetchFirstPage(result, name);
      setOpenTable({ name, result });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const openFolder = async () => {
    const path = await picker.pick({ mode: 'folder', title: 'Open a folder of Parquet files' });
    if (!path) return;
    try {
      const table = await api().call('query.openFolder', { path });
      refresh();
      await select(table.name);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const showColumn = async (column: GridColumn) => {
    if (!opened) return;
    setSummary({ column });
    try {
      const value = await api().call('query.summary', {
        queryId: opened.queryId,
        column: column.name,
        ...(grid.filters.length ? { filters: grid.filters } : {}),
      });
      setSummary({ column, value });
    } catch (e) {
      setSummary({ column, error: e instanceof Error ? e.message : String(e) });
    }
  };

  // The panel follows the filters: a new filter recomputes the open column's statistics.
  const filtersKey = JSON.stringify(grid.filters);
  const shownColumn = summary?.column;
  useEffect(() => {
    if (!shownColumn || !opened) return;
    let live = true;
    api()
      .call('query.summary', {
        queryId: opened.queryId,
        column: shownColumn.name,
        ...(grid.filters.length ? { filters: grid.filters } : {}),
      })
      .then((value) => live && setSummary({ column: shownColumn, value }))
      .catch((e: unknown) => live && setSummary({ column: shownColumn, error: String(e) }));
    return () => {
      live = false;
    };
    // Only a change of the filters asks again (opening the panel asks by itself).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filtersKey]);

  const table: CatalogTable | undefined = catalog?.tables.find((t) => t.name === selected);
  return (
    <div className="lake-screen">
      <aside className="lake-side" aria-label="Lake tables">
        <div className="lake-side-actions">
          <button type="button" onClick={refresh}>
            Refresh
          </button>
          <button type="button" onClick={() => void openFolder()}>
            Open folder…
          </button>
        </div>
        {catalog === undefined && !error && <p className="muted">Reading the lake…</p>}
        {catalog && <LakeTree catalog={catalog} selected={selected} onSelect={(name) => void select(name)} />}
      </aside>
      <section className="lake-main" aria-label="Table">
        {error && (
          <div role="alert" className="banner error">
            {error}
          </div>
        )}
        {catalog && catalog.tables.length === 0 && (
          <EmptyState title="The lake is empty">
            <p>
              Nothing has been written to <code>{catalog.lakeDir}</code> yet. Replay a dataset to fill it, or
              open any folder of Parquet files.
            </p>
          </EmptyState>
        )}
        {catalog && catalog.tables.length > 0 && !table && (
          <p className="muted">Choose a table on the left.</p>
        )}
        {table && (
          <>
            <header className="lake-table-header">
              <h2>{table.name}</h2>
              <span>
                {formatInteger(grid.totalRows)} rows
                {grid.filters.length ? ` (of ${formatInteger(table.rows)})` : ''}
              </span>
              <span>
                {formatInteger(table.files)} file{table.files === 1 ? '' : 's'}, {formatBytes(table.bytes)}
              </span>
              <span
                className="muted lake-updated"
                title={`updated ${formatTimestamp(table.lastModified)} UTC`}
              >
                updated {formatTimestamp(table.lastModified)} UTC
              </span>
              <button type="button" onClick={() => openInSql(tableQuery(table.name))}>
                Open in SQL
              </button>
              {/* One "Save as" for both formats keeps the header on one line at common widths. */}
              <span className="lake-save" role="group" aria-label="Save what the grid shows">
                <span className="muted">Save as</span>
                <button
                  type="button"
                  aria-label="Save as CSV…"
                  disabled={!opened}
                  onClick={() => void save('csv')}
                >
                  CSV…
                </button>
                <button
                  type="button"
                  aria-label="Save as Parquet…"
                  disabled={!opened}
                  onClick={() => void save('parquet')}
                >
                  Parquet…
                </button>
              </span>
              {saved && (
                <span role="status" className="muted">
                  {saved}
                </span>
              )}
            </header>
            <div className="lake-grid-row">
              {opened && openTable.name === table.name && (
                <QueryGrid
                  label={table.name}
                  opened={opened}
                  grid={grid}
                  onColumnInfo={(c) => void showColumn(c)}
                  rowAction={goldRowAction(table.name, opened.columns)}
                />
              )}
              {summary && <ColumnPanel {...summary} onClose={() => setSummary(undefined)} />}
            </div>
          </>
        )}
      </section>
      {picker.element}
    </div>
  );
}

/**
 * On a Gold table's rows: "Show the events behind this" opens the Lineage screen with the row's grain keys
 * (dates and instants, which the grid holds as epoch ms, as ISO text).
 */
function goldRowAction(name: string, columns: GridColumn[]) {
  const table = /^gold\.(\w+)$/.exec(name)?.[1];
  const keys = table ? GOLD_GRAIN_KEYS[table] : undefined;
  if (!table || !keys) return undefined;
  const at = keys.map((k) => columns.findIndex((c) => c.name === k));
  if (at.some((i) => i < 0)) return undefined;
  return {
    label: 'Show the events behind this',
    icon: '⤵',
    onRow: (row: readonly unknown[]) => {
      const key = Object.fromEntries(
        keys.map((k, i) => {
          const column = columns[at[i] as number] as GridColumn;
          const value = row[at[i] as number];
          const type = column.type.toUpperCase();
          const iso = typeof value === 'number' && (type === 'DATE' || type.startsWith('TIMESTAMP'));
          const text = iso ? new Date(value).toISOString() : String(value);
          return [k, iso && type === 'DATE' ? text.slice(0, 10) : text];
        }),
      );
      window.location.hash = lineageLink({ table, key });
    },
  };
}
