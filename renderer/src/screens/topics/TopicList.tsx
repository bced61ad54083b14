import type { TopicInfo } from '../../../../pipeline/contract';
import { formatBytes, formatInteger } from '../../lib/format';

interface Props {
  topics: TopicInfo[];
  selected: string | undefined;
  onSelect: (topic: string) => void;
  onCreate: () => void;
}

/** Every topic with its partitions, messages and size; choosing one opens its partitions and messages. */
export function TopicList({ topics, selected, onSelect, onCreate }: Props) {
  return (
    <section className="topics-card" aria-label="Topics list">
      <header>
        <h2>Topics</h2>
        <span className="muted">{formatInteger(topics.length)} topic(s)</span>
        <button type="button" onClick={onCreate}>
          New topic…
        </button>
      </header>
      {topics.length === 0 ? (
        <p className="muted">
          No topics yet. A replay creates one, and so does any client that produces to a new topic.
        </p>
      ) : (
        <table className="topics-table" aria-label="Topics">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" className="num">
                Partitions
              </th>
              <th scope="col" className="num">
                Messages
              </th>
              <th scope="col" className="num">
                Size
              </th>
            </tr>
          </thead>
          <tbody>
            {topics.map((t) => (
              <tr key={t.name} aria-selected={t.name === selected}>
                <td>
                  <button
                    type="button"
                    className="link"
                    aria-label={`Open topic ${t.name}`}
                    aria-pressed={t.name === selected}
                    onClick={() => onSelect(t.name)}
                  >
                    {t.name}
                  </button>
                </td>
                <td className="num">{formatInteger(t.partitions.length)}</td>
                <td className="num" aria-label={`Messages in ${t.name}`}>
                  {formatInteger(t.messages)}
                </td>
                <td className="num">{formatBytes(t.sizeBytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Per partition: where the log starts and ends, how many messages and bytes it holds. */
export function PartitionTable({
  topic,
  partition,
  onBrowse,
  onDeleteRecords,
}: {
  topic: TopicInfo;
  partition: number;
  onBrowse: (partition: number) => void;
  onDeleteRecords: (partition: number) => void;
}) {
  return (
    <table className="topics-table" aria-label={`Partitions of ${topic.name}`}>
      <thead>
        <tr>
          <th scope="col">Partition</th>
          <th scope="col" className="num">
            Start offset
          </th>
          <th scope="col" className="num">
            End offset
          </th>
          <th scope="col" className="num">
            Messages
          </th>
          <th scope="col" className="num">
            Size
          </th>
          <th scope="col" className="num">
            Segments
          </th>
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {topic.partitions.map((p) => (
          <tr key={p.partition} aria-selected={p.partition === partition}>
            <td>{p.partition}</td>
            <td className="num">{formatInteger(p.logStartOffset)}</td>
            <td className="num">{formatInteger(p.logEndOffset)}</td>
            <td className="num">{formatInteger(p.logEndOffset - p.logStartOffset)}</td>
            <td className="num">{formatBytes(p.sizeBytes)}</td>
            <td className="num">{formatInteger(p.segments)}</td>
            <td>
              <button
                type="button"
                className="link"
                aria-label={`Browse partition ${p.partition}`}
                onClick={() => onBrowse(p.partition)}
              >
                {p.partition === partition ? 'Browsing' : 'Browse'}
              </button>{' '}
              <button
                type="button"
                className="link"
                aria-label={`Delete records of partition ${p.partition}`}
                disabled={p.logEndOffset === p.logStartOffset}
                title={p.logEndOffset === p.logStartOffset ? 'This partition holds no records.' : undefined}
                onClick={() => onDeleteRecords(p.partition)}
              >
                Delete records…
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
