import type { BrokerMessage } from '../../../../pipeline/contract';
import { formatTimestamp } from '../../lib/format';
import { prettyValue } from './message-tools';

/** One message: JSON values indented, binary ones marked as base64. */
export function MessageRow({ message: m }: { message: BrokerMessage }) {
  const value = m.encoding === 'utf8' ? prettyValue(m.value) : { text: m.value ?? 'null', json: false };
  return (
    <tr aria-label={`Message ${m.offset}`}>
      <td className="num">{m.offset}</td>
      <td className="nowrap">{formatTimestamp(m.timestamp)}</td>
      <td className="mono">{m.key ?? <span className="muted">null</span>}</td>
      <td>
        {m.encoding === 'base64' && <span className="muted">base64 </span>}
        <pre className={value.json ? 'value json' : 'value'}>{value.text}</pre>
      </td>
      <td>
        {m.headers.length === 0 ? (
          <span className="muted">–</span>
        ) : (
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
  );
}
