import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ECharts } from 'echarts/core';
import type { SavedSearch, SearchResult } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { Chart } from '../../components/Chart';
import { DataGrid } from '../../components/grid/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { formatInteger } from '../../lib/format';
import { readHashParams, screenLink, writeHashParams } from './hash-params';
import { histogramOption } from './histogram-option';
import { QuerySyntax } from './QuerySyntax';
import './explore.css';

interface Search {
  query: string;
  from: string;
  to: string;
}

const fromHash = (): Search => {
  const p = readHashParams();
  return { query: p.get('q') ?? '', from: p.get('from') ?? '', to: p.get('to') ?? '' };
};

const request = (s: Search) => ({
  query: s.query,
  ...(s.from ? { from: s.from } : {}),
  ...(s.to ? { to: s.to } : {}),
});

/** Discover over Silver: a query bar, the matches' time histogram (brush to narrow), a grid of the matches. */
export function ExploreScreen() {
  const [draft, setDraft] = useState<Search>(fromHash);
  const [search, setSearch] = useState<Search>(fromHash);
  const key = JSON.stringify(search);
  const [answer, setAnswer] = useState<{ key: string; result?: SearchResult; error?: string }>();
  const [saved, setSaved] = useState<SavedSearch[]>([]);
  const [chart, setChart] = useState<ECharts>();

  useEffect(() => {
    void api()
      .call('explore.searches', {})
      .then(setSaved, () => undefined);
  }, []);

  useEffect(() => {
    let live = true;
    const asked = JSON.parse(key) as Search;
    writeHashParams('explore', { q: asked.query, from: asked.from, to: asked.to });
    api()
      .call('explore.search', { ...request(asked), limit: 200 })
      .then(
        (result) => live && setAnswer({ key, result }),
        (e: unknown) => live && setAnswer({ key, error: e instanceof Error ? e.message : String(e) }),
      );
    return () => {
      live = false;
    };
  }, [key]);
  const busy = answer?.key !== key;
  // The last answer stays on screen while the next one is computed; an error replaces it.
  const result = answer?.result;
  const error = answer?.key === key ? answer.error : undefined;

  const run = (next: Search) => {
    setDraft(next);
    setSearch(next);
  };

  // A brushed range (or a clicked bar) becomes the search's range.
  useEffect(() => {
    if (!chart || !result) return;
    chart.dispatchAction({
      type: 'takeGlobalCursor',
      key: 'brush',
      brushOption: { brushType: 'lineX', brushMode: 'single' },
    });
    const width = result.histogram.bucketSeconds * 1000;
    const onBrush = (params: unknown) => {
      const area = (params as { areas?: { coordRange?: [number, number] }[] }).areas?.[0];
      if (!area?.coordRange) return;
      const [a, b] = area.coordRange;
      const from = Math.floor(a / width) * width;
      const to = Math.ceil(b / width) * width;
      if (to > from) run({ ...search, from: new Date(from).toISOString(), to: new Date(to).toISOString() });
    };
    const onClick = (params: unknown) => {
      const value = (params as { value?: [number, number] }).value;
      if (!value) return;
      const from = value[0] - width / 2;
      run({ ...search, from: new Date(from).toISOString(), to: new Date(from + width).toISOString() });
    };
    chart.on('brushEnd', onBrush);
    chart.on('click', onClick);
    return () => {
      chart.off('brushEnd', onBrush);
      chart.off('click', onClick);
    };
  }, [chart, result, search]);

  const fetchRows = useCallback(
    async (offset: number, limit: number) => {
      if (result && offset + limit <= result.rows.length) return result.rows.slice(offset, offset + limit);
      const page = await api().call('explore.page', { ...request(search), offset, limit });
      return page.rows;
    },
    [result, search],
  );

  const option = useMemo(() => (result ? histogramOption(result.histogram) : undefined), [result]);

  const save = async () => {
    const name = window.prompt('Name this search', search.query || 'All events');
    if (!name) return;
    setSaved(await api().call('explore.saveSearch', { name, ...request(search) }));
  };
  const userTerm = /(?:^|\s)(?:user_id|user):("?)([^\s"]+)\1/.exec(search.query)?.[2];

  return (
    <div className="explore-screen">
      <form
        className="explore-bar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          run(draft);
        }}
      >
        <input
          aria-label="Query"
          className="explore-query"
          placeholder="brand:apple event_type:purchase price>100 user_id:512… or free text"
          value={draft.query}
          onChange={(e) => setDraft({ ...draft, query: e.target.value })}
        />
        <input
          aria-label="From"
          placeholder="from (ISO time)"
          value={draft.from}
          onChange={(e) => setDraft({ ...draft, from: e.target.value })}
        />
        <input
          aria-label="To"
          placeholder="to (ISO time)"
          value={draft.to}
          onChange={(e) => setDraft({ ...draft, to: e.target.value })}
        />
        <button type="submit">Search</button>
        {(search.from || search.to) && (
          <button type="button" onClick={() => run({ ...search, from: '', to: '' })}>
            Clear range
          </button>
        )}
        <button type="button" onClick={() => void save()}>
          Save search…
        </button>
        <select
          aria-label="Saved searches"
          value=""
          onChange={(e) => {
            const s = saved.find((x) => x.name === e.target.value);
            if (s) run({ query: s.query, from: s.from ?? '', to: s.to ?? '' });
          }}
        >
          <option value="">Saved searches ({saved.length})</option>
          {saved.map((s) => (
            <option key={s.name} value={s.name}>
              {s.name}
            </option>
          ))}
        </select>
      </form>
      {error && (
        <div role="alert" className="banner error">
          {error}
        </div>
      )}
      <div className="explore-summary" aria-live="polite">
        {busy ? (
          <span className="muted">Searching…</span>
        ) : (
          result && (
            <span>
              <strong>{formatInteger(result.total)}</strong> matching events
              {search.from || search.to ? ` from ${search.from || '…'} to ${search.to || '…'}` : ''}
            </span>
          )
        )}
        {userTerm && <a href={screenLink('journey', { user: userTerm })}>Journey of user {userTerm}</a>}
        <QuerySyntax />
      </div>
      {result && result.total === 0 && !busy && (
        <EmptyState title="No events match">
          Loosen the query or the range (or replay a file into the lake).
        </EmptyState>
      )}
      {option && result && result.total > 0 && (
        <section aria-label="Histogram of matches">
          <Chart label="Matching events over time" option={option} height={180} onReady={setChart} />
        </section>
      )}
      {result && result.total > 0 && (
        <div className="explore-grid">
          <DataGrid
            label="Matching events"
            columns={result.columns}
            totalRows={result.total}
            fetchRows={fetchRows}
          />
        </div>
      )}
    </div>
  );
}
