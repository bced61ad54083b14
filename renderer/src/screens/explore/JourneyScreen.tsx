import { useEffect, useState } from 'react';
import type { Journey } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { formatDecimal, formatDuration, formatInteger, formatTimestamp } from '../../lib/format';
import { readHashParams, screenLink, writeHashParams } from './hash-params';
import { cellOf } from './rows';
import './explore.css';

type By = 'user' | 'session' | 'event';

const fromHash = (): { by: By; id: string } => {
  const p = readHashParams();
  for (const by of ['user', 'session', 'event'] as const) {
    const id = p.get(by);
    if (id) return { by, id };
  }
  return { by: 'user', id: '' };
};

/** One user's whole path: sessions (from Gold) with their events in order, gaps between them, the user's Gold row. */
export function JourneyScreen() {
  const [draft, setDraft] = useState(fromHash);
  const [asked, setAsked] = useState(fromHash);
  const [answer, setAnswer] = useState<{ asked: typeof asked; journey?: Journey; error?: string }>();

  useEffect(() => {
    if (!asked.id) return;
    let live = true;
    writeHashParams('journey', { [asked.by]: asked.id });
    const field = asked.by === 'user' ? 'userId' : asked.by === 'session' ? 'sessionId' : 'eventId';
    api()
      .call('explore.journey', { [field]: asked.id, limit: 5000 })
      .then(
        (journey) => live && setAnswer({ asked, journey }),
        (e: unknown) => live && setAnswer({ asked, error: e instanceof Error ? e.message : String(e) }),
      );
    return () => {
      live = false;
    };
  }, [asked]);
  const journey = answer?.journey;
  const error = answer?.error;

  const events = journey?.events;
  const sessions = new Map<string, unknown[][]>();
  for (const row of events?.rows ?? []) {
    const id = String(cellOf(events as NonNullable<typeof events>, row, 'session_id'));
    sessions.set(id, [...(sessions.get(id) ?? []), row]);
  }
  const sessionRow = (id: string) =>
    journey?.sessions.rows.find((r) => cellOf(journey.sessions, r, 'session_id') === id);
  const user = journey?.user;

  return (
    <div className="journey-screen">
      <form
        className="explore-bar"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(draft);
        }}
      >
        <select
          aria-label="Find by"
          value={draft.by}
          onChange={(e) => setDraft({ ...draft, by: e.target.value as By })}
        >
          <option value="user">User id</option>
          <option value="session">Session id</option>
          <option value="event">Event id</option>
        </select>
        <input
          aria-label="Id"
          className="explore-query"
          placeholder="a user id, session id or event id"
          value={draft.id}
          onChange={(e) => setDraft({ ...draft, id: e.target.value })}
        />
        <button type="submit">Show journey</button>
      </form>
      {error && (
        <div role="alert" className="banner error">
          {error}
        </div>
      )}
      {!journey && !error && (
        <EmptyState title="Follow a user">
          Give a user, session or event id (or open one from Explore) to see every session and event of that
          user.
        </EmptyState>
      )}
      {journey && (
        <>
          <section className="kpis" aria-label={`User ${journey.userId}`}>
            <div className="kpi">
              <span className="kpi-label">User</span>
              <span className="kpi-value" title={journey.userId}>
                {journey.userId}
              </span>
            </div>
            {user ? (
              <>
                <Kpi label="First seen" value={formatTimestamp(user.first_seen as number)} />
                <Kpi label="Last seen" value={formatTimestamp(user.last_seen as number)} />
                <Kpi label="Sessions" value={formatInteger(user.sessions as number)} />
                <Kpi label="Events" value={formatInteger(user.events as number)} />
                <Kpi label="Orders" value={formatInteger(user.orders as number)} />
                <Kpi label="Revenue" value={formatDecimal(user.revenue as number)} />
              </>
            ) : (
              <span className="muted">No Gold row for this user yet (Gold is built after Silver).</span>
            )}
          </section>
          <p className="muted">
            {formatInteger(journey.totalEvents)} events in {sessions.size} sessions
            {journey.totalEvents > (events?.rows.length ?? 0)
              ? ` (the first ${events?.rows.length} shown)`
              : ''}
            . <a href={screenLink('explore', { q: `user_id:${journey.userId}` })}>Open in Explore</a>
          </p>
          <ol className="journey-timeline" aria-label="Journey">
            {[...sessions].map(([id, rows]) => {
              const s = sessionRow(id);
              const stats = journey.sessions;
              return (
                <li key={id} className="journey-session">
                  <h3>
                    Session {id}
                    {s && (
                      <span className="muted">
                        {' '}
                        · {formatDuration(cellOf(stats, s, 'duration_s') as number)} ·{' '}
                        {formatInteger(cellOf(stats, s, 'events') as number)} events ·{' '}
                        {cellOf(stats, s, 'purchased')
                          ? `bought ${formatDecimal(cellOf(stats, s, 'revenue') as number)}`
                          : 'no purchase'}
                      </span>
                    )}
                  </h3>
                  {rows.map((row) => {
                    const at = (n: string) => cellOf(events as NonNullable<typeof events>, row, n);
                    const type = String(at('event_type'));
                    const gap = at('gap_s') as number | null;
                    return (
                      <div className="journey-event" key={String(at('event_id'))}>
                        <span>{formatTimestamp(at('event_time') as number)}</span>
                        <span className={`event-type ${type}`}>{type}</span>
                        <span>{at('product_id') as string}</span>
                        <span>
                          {[at('brand'), at('category_code')].filter(Boolean).join(' · ') || '—'}{' '}
                          {at('price') !== null && <strong>{formatDecimal(at('price') as number)}</strong>}
                        </span>
                        <span className="muted">{gap === null ? 'first' : `+${formatDuration(gap)}`}</span>
                      </div>
                    );
                  })}
                </li>
              );
            })}
          </ol>
        </>
      )}
    </div>
  );
}

function Kpi({ label, value }: { label: string; value: string }) {
  return (
    <div className="kpi">
      <span className="kpi-label">{label}</span>
      <span className="kpi-value" title={value}>
        {value}
      </span>
    </div>
  );
}
