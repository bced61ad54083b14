import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { MessagePage, TimeSeekResult, TopicInfo } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { formatBytes, formatInteger, formatTimestamp } from '../../lib/format';
import { downloadText } from './download';
import {
  ALL_FIELDS,
  highlightTerms,
  messagesToCsv,
  messagesToJson,
  parseTime,
  searchMessages,
  type SearchFields,
} from './message-tools';
import { MessageTable } from './MessageTable';
import { ProduceMessage } from './ProduceMessage';
import { TopicSearch } from './TopicSearch';
import { eventTimeOf } from '../../../../pipeline/topics/time-seek';
import { REFRESH_MS } from './useBrokerOverview';

/** Where the page starts: the newest messages (a live tail), an offset, or a time. */
type From = { kind: 'newest' } | { kind: 'offset'; offset: number } | { kind: 'time'; ms: number };

const LIMITS = [20, 50, 100, 500];

interface Props {
  topic: TopicInfo;
  partition: number;
  onPartition: (partition: number) => void;
}

/** One partition's messages: tail, jump, search, and download what is shown (keyed by topic and partition). */
export function MessageBrowser({ topic, partition, onPartition }: Props) {
  const [from, setFrom] = useState<From>({ kind: 'newest' });
  const [limit, setLimit] = useState(50);
  const [live, setLive] = useState(true);
  const [page, setPage] = useState<MessagePage>();
  const [error, setError] = useState<string>();
  const [jumpOffset, setJumpOffset] = useState('');
  const [jumpTime, setJumpTime] = useState('');
  const [jumpError, setJumpError] = useState<string>();
  /** Which clock Go to time reads; unset = event time when the messages carry one, else broker time. */
  const [timeBy, setTimeBy] = useState<'broker' | 'event'>();
  const [seek, setSeek] = useState<TimeSeekResult>();
  const [query, setQuery] = useState('');
  const [fields, setFields] = useState<SearchFields>(ALL_FIELDS);
  const request = useRef(0);

  const load = useCallback(() => {
    const id = ++request.current;
    api()
      .call('broker.messages', {
        topic: topic.name,
        partition,
        limit,
        ...(from.kind === 'offset'
          ? { offset: from.offset }
          : from.kind === 'time'
            ? { timestamp: from.ms }
            : {}),
      })
      .then((value) => {
        // An answer to an older request (another partition, another start) is stale.
        if (id !== request.current) return;
        setPage(value);
        setError(undefined);
      })
      .catch((e: unknown) => id === request.current && setError(e instanceof Error ? e.message : String(e)));
  }, [topic.name, partition, limit, from]);

  useEffect(() => {
    load();
    if (!live || from.kind !== 'newest') return;
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load, live, from.kind]);

  const shown = useMemo(() => searchMessages(page?.messages ?? [], query, fields), [page, query, fields]);
  const terms = useMemo(() => highlightTerms(query), [query]);

  const jumpToOffset = () => {
    const offset = Number(jumpOffset);
    if (jumpOffset.trim() === '' || !Number.isInteger(offset) || offset < 0)
      return setJumpError('The offset is a whole number, 0 or more.');
    setJumpError(undefined);
    setFrom({ kind: 'offset', offset });
  };

  const newest = page?.messages.at(-1);
  const hasEventTime = newest
    ? eventTimeOf(newest.encoding === 'utf8' ? newest.value : null) !== null
    : false;
  const by = timeBy ?? (hasEventTime ? 'event' : 'broker');

  const jumpToTime = async () => {
    const parsed = parseTime(jumpTime);
    if ('error' in parsed) return setJumpError(parsed.error);
    setJumpError(undefined);
    try {
      const found = await api().call('topics.seekTime', {
        topic: topic.name,
        partition,
        time: parsed.ms,
        by,
      });
      setSeek(found);
      setFrom({ kind: 'offset', offset: found.offset });
    } catch (e) {
      setSeek(undefined);
      setJumpError(e instanceof Error ? e.message : String(e));
    }
  };

  const base = `${topic.name}-${partition}`;
  const download = (format: 'json' | 'csv') =>
    format === 'json'
      ? downloadText(`${base}.json`, messagesToJson(topic.name, partition, shown), 'application/json')
      : downloadText(`${base}.csv`, messagesToCsv(shown), 'text/csv');

  const first = page?.messages[0]?.offset;
  const last = page?.messages.at(-1)?.offset;

  return (
    <section className="topics-card messages" aria-label="Messages">
      <header>
        <h2>
          Messages of {topic.name}
          {topic.partitions.length > 1 && (
            <label className="inline-field">
              {' '}
              partition
              <select
                aria-label="Partition"
                value={partition}
                onChange={(e) => onPartition(Number(e.target.value))}
              >
                {topic.partitions.map((p) => (
                  <option key={p.partition} value={p.partition}>
                    {p.partition}
                  </option>
                ))}
              </select>
            </label>
          )}
          {topic.partitions.length === 1 && <span className="muted"> (partition {partition})</span>}
        </h2>
      </header>
      <div className="message-toolbar" role="toolbar" aria-label="Message navigation">
        <button
          type="button"
          aria-pressed={from.kind === 'newest'}
          onClick={() => {
            setSeek(undefined);
            setFrom({ kind: 'newest' });
          }}
        >
          Newest
        </button>
        <label className="inline-field">
          <input
            type="checkbox"
            checked={live && from.kind === 'newest'}
            disabled={from.kind !== 'newest'}
            onChange={(e) => setLive(e.target.checked)}
          />
          Live tail
        </label>
        <label className="inline-field">
          Show
          <select
            aria-label="Messages per page"
            value={limit}
            onChange={(e) => setLimit(Number(e.target.value))}
          >
            {LIMITS.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <form
          className="inline-field"
          onSubmit={(e) => {
            e.preventDefault();
            jumpToOffset();
          }}
        >
          <input
            aria-label="Jump to offset"
            placeholder="Offset"
            inputMode="numeric"
            size={8}
            value={jumpOffset}
            onChange={(e) => setJumpOffset(e.target.value)}
          />
          <button type="submit">Go to offset</button>
        </form>
        <form
          className="inline-field"
          onSubmit={(e) => {
            e.preventDefault();
            void jumpToTime();
          }}
        >
          <input
            aria-label="Jump to time (UTC)"
            placeholder="2019-10-01 00:00:00"
            size={19}
            value={jumpTime}
            onChange={(e) => setJumpTime(e.target.value)}
          />
          <select
            aria-label="Time to go by"
            value={by}
            onChange={(e) => setTimeBy(e.target.value as 'broker' | 'event')}
          >
            <option value="event">event time (value’s event_time)</option>
            <option value="broker">broker time (record timestamp)</option>
          </select>
          <button type="submit">Go to time</button>
        </form>
        {page && from.kind !== 'newest' && last !== undefined && last + 1 < page.logEndOffset && (
          <button type="button" onClick={() => setFrom({ kind: 'offset', offset: last + 1 })}>
            Next {limit}
          </button>
        )}
      </div>
      {seek && from.kind === 'offset' && from.offset === seek.offset && (
        <p className="muted" role="status" aria-label="Time jump">
          {seek.note}
        </p>
      )}
      {jumpError && (
        <p role="alert" className="error-text">
          {jumpError}
        </p>
      )}
      <div className="message-toolbar" role="toolbar" aria-label="Search and download">
        <input
          type="search"
          aria-label="Search messages"
          placeholder="Search: purchase, or event_type = purchase"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        {(['key', 'value', 'headers'] as const).map((f) => (
          <label key={f} className="inline-field">
            <input
              type="checkbox"
              checked={fields[f]}
              onChange={(e) => setFields((old) => ({ ...old, [f]: e.target.checked }))}
            />
            {f}
          </label>
        ))}
        <button type="button" onClick={() => download('json')} disabled={shown.length === 0}>
          Download JSON
        </button>
        <button type="button" onClick={() => download('csv')} disabled={shown.length === 0}>
          Download CSV
        </button>
      </div>
      <TopicSearch topic={topic.name} query={query} />
      <ProduceMessage topic={topic} onProduced={load} />
      {error && (
        <p role="alert" className="banner error">
          {error}
        </p>
      )}
      {page?.note && <p className="banner notice">{page.note}</p>}
      {!page && !error && <p className="muted">Loading messages…</p>}
      {page && (
        <p className="muted" role="status" aria-label="Message count">
          {page.messages.length === 0
            ? from.kind === 'newest'
              ? 'This partition holds no messages yet.'
              : 'No messages from there on.'
            : `Showing ${formatInteger(shown.length)} of ${formatInteger(page.messages.length)} loaded (offsets ${formatInteger(first)}–${formatInteger(last)}; the partition holds ${formatInteger(page.logStartOffset)}–${formatInteger(page.logEndOffset - 1)})`}
          {from.kind === 'time' && ` · from ${formatTimestamp(from.ms)} UTC`}
          {query.trim() && ` · search in the loaded page; “Search all partitions” searches the whole topic`}
          {page.messages.length > 0 &&
            ` · ${formatBytes(page.messages.reduce((n, m) => n + m.sizeBytes, 0))}`}
        </p>
      )}
      {page && page.messages.length > 0 && shown.length === 0 && (
        <p className="muted">No loaded message matches “{query}”.</p>
      )}
      {shown.length > 0 && <MessageTable label="Message list" messages={shown} terms={terms} />}
    </section>
  );
}
