import type { EditorView } from '@codemirror/view';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { Catalog } from '../../../../pipeline/contract';
import { useCall } from '../../api/hooks';
import { catalogSchema } from './duckdb-dialect';
import { loadHistory, remember } from './history';
import { SchemaSidebar } from './SchemaSidebar';
import { SqlTab } from './SqlTab';
import { useSqlTabs } from './useSqlTabs';
import './sql.css';

const EXAMPLE = `-- Read-only DuckDB SQL over bronze.*, silver.*, gold.* (Ctrl/⌘+Enter runs the statement under the cursor)
SELECT event_type, count(*) AS events, sum(price) AS total
FROM silver.events
GROUP BY event_type
ORDER BY events DESC`;

/** The SQL console: query tabs (kept across restarts), the lake's schema beside them, history. */
export function SqlScreen() {
  const [history, setHistory] = useState(loadHistory);
  const loaded = useCall('lake.catalog', {}, []);
  const catalog: Catalog | undefined = loaded.state === 'ready' ? loaded.value : undefined;
  const schema = useMemo(() => catalogSchema(catalog), [catalog]);
  const tabs = useSqlTabs(EXAMPLE);
  const editors = useRef(new Map<number, EditorView>());
  const activeTab = tabs.tabs?.[tabs.active];

  const insert = (text: string) => {
    const view = activeTab && editors.current.get(activeTab.id);
    if (!view) return;
    view.dispatch(view.state.replaceSelection(text));
    view.focus();
  };
  const onRan = useCallback((sql: string) => setHistory((h) => remember(h, sql)), []);

  return (
    <div className="sql-screen sql-console">
      <SchemaSidebar catalog={catalog} onInsert={insert} />
      <div className="sql-main">
        <div className="sql-tabs" role="tablist" aria-label="Query tabs">
          {tabs.tabs?.map((tab, index) => (
            <span key={tab.id} className="sql-tab">
              <button
                type="button"
                role="tab"
                aria-selected={index === tabs.active}
                onClick={() => tabs.setActive(index)}
              >
                {tab.title}
              </button>
              <button type="button" aria-label={`Close ${tab.title}`} onClick={() => tabs.remove(tab.id)}>
                ×
              </button>
            </span>
          ))}
          <button type="button" aria-label="New query tab" onClick={() => tabs.add()}>
            +
          </button>
          <label className="sql-history">
            History
            <select
              aria-label="History"
              value=""
              onChange={(e) => e.target.value && activeTab && tabs.setSql(activeTab.id, e.target.value)}
            >
              <option value="">
                {history.length ? `${history.length} earlier queries…` : 'No earlier queries'}
              </option>
              {history.map((h) => (
                <option key={h} value={h}>
                  {h.replace(/\s+/g, ' ').slice(0, 80)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {tabs.tabs?.map((tab, index) => (
          <div
            key={tab.id}
            role="tabpanel"
            aria-label={tab.title}
            className="sql-tabpanel"
            hidden={index !== tabs.active}
          >
            {/* Hidden tabs stay mounted: each keeps its editor state, its running query and its result. */}
            <SqlTab
              sql={tab.sql}
              onSqlChange={(sql) => tabs.setSql(tab.id, sql)}
              schema={schema}
              onRan={onRan}
              onView={(view) => {
                if (view) editors.current.set(tab.id, view);
                else editors.current.delete(tab.id);
              }}
            />
          </div>
        ))}
      </div>
    </div>
  );
}
