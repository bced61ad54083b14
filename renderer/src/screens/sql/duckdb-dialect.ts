import { PostgreSQL, SQLDialect, type SQLNamespace } from '@codemirror/lang-sql';
import type { Catalog } from '../../../../pipeline/contract';

/**
 * DuckDB's SQL for highlighting and keyword completion: PostgreSQL's (DuckDB follows its grammar) plus the
 * words DuckDB adds, and its type names.
 */
export const DuckDB = SQLDialect.define({
  ...PostgreSQL.spec,
  keywords: `${PostgreSQL.spec.keywords ?? ''} qualify pivot unpivot summarize describe asof positional anti semi exclude replace columns struct_pack list_value union_by_name sample tablesample using sample reservoir bernoulli system`,
  types: `${PostgreSQL.spec.types ?? ''} tinyint utinyint usmallint uinteger ubigint hugeint uhugeint varchar blob list struct map union enum uuid timestamptz timestamp_s timestamp_ms timestamp_ns`,
});

/** Layers → tables → columns (with their types) for completion: `silver.` offers events, `silver.events.` its columns. */
export function catalogSchema(catalog: Catalog | undefined): SQLNamespace {
  const layers: Record<string, Record<string, { label: string; detail: string; type: string }[]>> = {};
  for (const table of catalog?.tables ?? []) {
    const dot = table.name.indexOf('.');
    const layer = table.name.slice(0, dot);
    const name = table.name.slice(dot + 1);
    (layers[layer] ??= {})[name] = table.columns.map((c) => ({
      label: c.name,
      detail: c.type,
      type: 'property',
    }));
  }
  return layers;
}
