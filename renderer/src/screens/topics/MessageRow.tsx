import { useState } from 'react';
import type { BrokerMessage } from '../../../../pipeline/contract';
import { formatBytes, formatTimestamp } from '../../lib/format';
import { Highlight } from './Highlight';
import { prettyValue } from './message-tools';

interface Props {
  message: BrokerMessage;
  /** Shown for search results across partitions. */
  partition?: number;
  /** Search terms to mark in the key, value and headers. */
  terms?: string[];
}

/**
 * One message on one line (key, the value compact, headers counted); expanded, the value is indented
 * JSON and the headers are listed. Binary values are marked as base64.
 */
export function MessageRow({ message: m, partition, terms = [] }: Props) {
  const [open, setOpen] = useState(false);
  const value = m.encoding === 'utf8' ? prettyValue(m.value) : { text: m.value ?? 'null', json: false };
  const oneLine = m.value === null ? 'null' : m.value.replace(/\s+/g, ' ');
  const name = partition === undefined ? `Message ${m.offset}` : `Message ${partition}:${m.offset}`;
  return (
    <>
      <tr aria-label={name} className={open ? 'message open' : 'message'}>
        <td>
          <button
            type="button"
            className="expander"
            aria-expanded={open}
            aria-label={`${open ? 'Collapse' : 'Expand'} ${name.toLowerCase()}`}
            onClick={() => setOpen((o) => !o)}
          >
            {open ? '▾' : '▸'}
          </button>
        </td>
        {partition !== undefined && <td className="num">{partition}</td>}
        <td className="num">{m.offset}</td>
        <td className="nowrap">{formatTimestamp(m.timestamp)}</td>
        <td className="mono">
          {m.key === null ? <span className="muted">null</span> : <Highlight text={m.key} terms={terms} />}
        </td>
        <td className="value-cell">
          {m.encoding === 'base64' && <span className="muted">base64 </span>}
          <code className="value-line" title={open ? undefined : oneLine.slice(0, 2000)}>
            <Highlight text={oneLine} terms={terms} />
          </code>
        </td>
        <td className="nowrap">
          {m.headers.length === 0 ? (
            <span className="muted">–</span>
          ) : (
            <span title={m.headers.map((h) => `${h.key}: ${h.value ?? 'null'}`).join('\n')}>
              {m.headers.length} header{m.headers.length === 1 ? '' : 's'}
            </span>
          )}
        </td>
      </tr>
      {open && (
        <tr className="message-detail" aria-label={`${name} in full`}>
          <td />
          <td colSpan={partition === undefined ? 5 : 6}>
            <pre className={value.json ? 'value json' : 'value'}>
              <Highlight text={value.text} terms={terms} />
            </pre>
            <p className="muted">{formatBytes(m.sizeBytes)}</p>
            {m.headers.length > 0 && (
              <dl className="headers">
                {m.headers.map((h, i) => (
                  <div key={i}>
                    <dt>{h.key}</dt>
                    <dd>{h.value ?? <span className="muted">null</span>}</dd>
                  </div>
                ))}
              </dl>
            )}
          </td>
        </tr>
      )}
    </>
  );
}
