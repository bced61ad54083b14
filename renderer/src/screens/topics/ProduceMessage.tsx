import { useState } from 'react';
import type { TopicInfo } from '../../../../pipeline/contract';
import { api } from '../../api/client';

/** "name: value" per line → headers; a line without a colon is reported, nothing is dropped silently. */
export function parseHeaders(
  text: string,
): { headers: { key: string; value: string }[] } | { error: string } {
  const headers: { key: string; value: string }[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const at = line.indexOf(':');
    if (at <= 0) return { error: `Header line ${i + 1} (“${line}”) is not name: value.` };
    headers.push({ key: line.slice(0, at).trim(), value: line.slice(at + 1).trim() });
  }
  return { headers };
}

/** A test message onto the topic: key, value and headers, on a chosen partition or by the key's hash. */
export function ProduceMessage({ topic, onProduced }: { topic: TopicInfo; onProduced: () => void }) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [headers, setHeaders] = useState('');
  const [partition, setPartition] = useState('');
  const [status, setStatus] = useState<{ ok: boolean; text: string }>();

  const send = async () => {
    const parsed = parseHeaders(headers);
    if ('error' in parsed) return setStatus({ ok: false, text: parsed.error });
    try {
      const sent = await api().call('topics.produce', {
        topic: topic.name,
        key: key === '' ? null : key,
        value,
        headers: parsed.headers,
        ...(partition === '' ? {} : { partition: Number(partition) }),
      });
      setStatus({ ok: true, text: `Sent to partition ${sent.partition} at offset ${sent.offset}.` });
      onProduced();
    } catch (e) {
      setStatus({ ok: false, text: e instanceof Error ? e.message : String(e) });
    }
  };

  return (
    <details className="produce-message">
      <summary>Produce a test message…</summary>
      <form
        aria-label="Produce a message"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <label>
          Key
          <input value={key} placeholder="(none)" onChange={(e) => setKey(e.target.value)} />
        </label>
        <label>
          Partition
          <select value={partition} onChange={(e) => setPartition(e.target.value)}>
            <option value="">by key</option>
            {topic.partitions.map((p) => (
              <option key={p.partition} value={p.partition}>
                {p.partition}
              </option>
            ))}
          </select>
        </label>
        <label className="wide">
          Value
          <textarea
            rows={3}
            value={value}
            placeholder='{"event_type":"view"}'
            onChange={(e) => setValue(e.target.value)}
          />
        </label>
        <label className="wide">
          Headers (name: value, one a line)
          <textarea rows={2} value={headers} onChange={(e) => setHeaders(e.target.value)} />
        </label>
        <button type="submit">Send message</button>
        {status && (
          <p role={status.ok ? 'status' : 'alert'} className={status.ok ? 'muted' : 'error-text'}>
            {status.text}
          </p>
        )}
      </form>
    </details>
  );
}
