import { useState } from 'react';
import type { TopicSearchResult } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { formatInteger } from '../../lib/format';
import { highlightTerms, parseTime } from './message-tools';
import { MessageTable } from './MessageTable';

/** The search box's query run on the broker over every partition of the topic, optionally in a time window. */
export function TopicSearch({ topic, query }: { topic: string; query: string }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [result, setResult] = useState<TopicSearchResult>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setError(undefined);
    if (!query.trim()) return setError('Type what to search for in the search box first.');
    const window: { fromTime?: number; toTime?: number } = {};
    for (const [text, field] of [
      [from, 'fromTime'],
      [to, 'toTime'],
    ] as const) {
      if (!text.trim()) continue;
      const parsed = parseTime(text);
      if ('error' in parsed) return setError(parsed.error);
      window[field] = parsed.ms;
    }
    setBusy(true);
    try {
      setResult(await api().call('topics.search', { topic, query, ...window }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const terms = result ? highlightTerms(query) : [];
  return (
    <div className="topic-search">
      <form
        className="message-toolbar"
        role="search"
        aria-label="Search the whole topic"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <button type="submit" disabled={busy}>
          {busy ? 'Searching…' : 'Search all partitions'}
        </button>
        <label className="inline-field">
          broker time from
          <input
            aria-label="Search from (UTC)"
            placeholder="2026-01-01 00:00:00"
            size={19}
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
        </label>
        <label className="inline-field">
          to
          <input
            aria-label="Search to (UTC)"
            placeholder="(now)"
            size={19}
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
        </label>
        {result && (
          <button type="button" onClick={() => setResult(undefined)}>
            Close results
          </button>
        )}
      </form>
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      {result && (
        <section aria-label="Topic search results">
          <p className="muted" role="status" aria-label="Search result count">
            {formatInteger(result.matches.length)} match{result.matches.length === 1 ? '' : 'es'} for{' '}
            {result.understood} in {formatInteger(result.scanned)} messages of {result.topic}
            {result.truncated ? ' (stopped early: narrow the search or the time window)' : ''}
          </p>
          {result.matches.length > 0 && (
            <MessageTable label="Search results" messages={result.matches} withPartition terms={terms} />
          )}
        </section>
      )}
    </div>
  );
}
