import { useState } from 'react';
import { CanonicalField, type RowsPage } from '../../../../pipeline/contract';
import { api } from '../../api/client';

/** The dead letter's raw row as a canonical event to edit: same-named fields carried over, times as ISO. */
export function draftEvent(raw: unknown): string {
  let row: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(String(raw)) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      row = parsed as Record<string, unknown>;
  } catch {
    row = {};
  }
  const event: Record<string, unknown> = {};
  for (const f of CanonicalField.options) event[f] = row[f] === undefined || row[f] === '' ? null : row[f];
  if (typeof event.event_time === 'string')
    event.event_time = event.event_time.replace(/ UTC$/, 'Z').replace(' ', 'T');
  if (typeof event.price === 'string' && /^\d+(\.\d+)?$/.test(event.price)) event.price = Number(event.price);
  return JSON.stringify(event, null, 2);
}

/** Fix a dead letter in place and send it back through the topic (once). */
export function ResendDeadLetter({ rows }: { rows: RowsPage }) {
  const at = (row: unknown[], name: string) => row[rows.columns.findIndex((c) => c.name === name)];
  const [editing, setEditing] = useState<{ offset: number; text: string }>();
  const [message, setMessage] = useState<string>();
  const send = async () => {
    if (!editing) return;
    try {
      const event = JSON.parse(editing.text) as Record<string, unknown>;
      const sent = await api().call('dq.resend', { offset: editing.offset, event });
      setMessage(
        `Re-sent as ${sent.topic}/${sent.partition}@${sent.offset}: it reaches Silver with the next flush.`,
      );
      setEditing(undefined);
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section className="panel" aria-label="Fix and re-send">
      <h2>Fix and re-send a dead letter</h2>
      <ul>
        {rows.rows.slice(0, 20).map((row) => (
          <li key={String(at(row, 'offset'))}>
            <button
              type="button"
              onClick={() =>
                setEditing({ offset: Number(at(row, 'offset')), text: draftEvent(at(row, 'raw')) })
              }
            >
              Fix offset {String(at(row, 'offset'))}
            </button>{' '}
            <span className="muted">
              {String(at(row, 'reason'))}, line {String(at(row, 'line') ?? at(row, 'row'))}
            </span>
          </li>
        ))}
      </ul>
      {editing && (
        <>
          <textarea
            aria-label="Fixed event"
            rows={12}
            cols={80}
            value={editing.text}
            onChange={(e) => setEditing({ ...editing, text: e.target.value })}
          />
          <div>
            <button type="button" onClick={() => void send()}>
              Re-send through the topic
            </button>
          </div>
        </>
      )}
      {message && <p role="status">{message}</p>}
    </section>
  );
}
