import type { BrokerMessage } from '../../../../pipeline/contract';
import { MessageRow } from './MessageRow';

interface Props {
  label: string;
  messages: (BrokerMessage & { partition?: number })[];
  /** Results across partitions name each message's partition in a column of its own. */
  withPartition?: boolean;
  terms: string[];
}

/** Messages one per line, expandable: a partition's page and a search across partitions look the same. */
export function MessageTable({ label, messages, withPartition = false, terms }: Props) {
  return (
    <table className="topics-table message-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col" aria-label="Expand" />
          {withPartition && (
            <th scope="col" className="num">
              Partition
            </th>
          )}
          <th scope="col" className="num">
            Offset
          </th>
          <th scope="col">Timestamp (UTC)</th>
          <th scope="col">Key</th>
          <th scope="col">Value</th>
          <th scope="col">Headers</th>
        </tr>
      </thead>
      <tbody>
        {messages.map((m) => (
          <MessageRow
            key={withPartition ? `${m.partition}:${m.offset}` : m.offset}
            message={m}
            {...(withPartition && m.partition !== undefined ? { partition: m.partition } : {})}
            terms={terms}
          />
        ))}
      </tbody>
    </table>
  );
}
