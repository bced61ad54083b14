import { useState } from 'react';
import type { TopicInfo } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { formatInteger } from '../../lib/format';
import { AdminDialog } from './AdminDialog';
import {
  describeSizeBytes,
  formatDurationMs,
  formatSizeBytes,
  parseDurationMs,
  parseSizeBytes,
} from './config-units';

interface Props {
  topic: TopicInfo;
  /** A sentence for the notice banner once something changed; `deleted` when the topic is gone. */
  onChanged: (message: string, deleted?: boolean) => void;
}

type Open = 'retention' | 'partitions' | 'delete' | null;

/** The topic card's settings in human units, and its actions: edit retention, add partitions, delete. */
export function TopicActions({ topic, onChanged }: Props) {
  const [open, setOpen] = useState<Open>(null);
  const s = topic.settings;
  return (
    <>
      <span className="muted" aria-label={`Settings of ${topic.name}`}>
        Keeps {formatDurationMs(s['retention.ms'])} · at most{' '}
        <span title={`${s['retention.bytes'] ?? ''} bytes`}>{describeSizeBytes(s['retention.bytes'])}</span>{' '}
        per partition · segments of {formatSizeBytes(s['segment.bytes'])}
      </span>
      <span className="topic-actions">
        <button type="button" onClick={() => setOpen('retention')}>
          Edit retention…
        </button>
        <button type="button" onClick={() => setOpen('partitions')}>
          Add partitions…
        </button>
        <button type="button" className="danger" onClick={() => setOpen('delete')}>
          Delete topic…
        </button>
      </span>
      {open === 'retention' && (
        <RetentionDialog topic={topic} onChanged={onChanged} onClose={() => setOpen(null)} />
      )}
      {open === 'partitions' && (
        <PartitionsDialog topic={topic} onChanged={onChanged} onClose={() => setOpen(null)} />
      )}
      {open === 'delete' && (
        <DeleteTopicDialog topic={topic} onChanged={onChanged} onClose={() => setOpen(null)} />
      )}
    </>
  );
}

type DialogProps = Props & { onClose: () => void };

function RetentionDialog({ topic, onChanged, onClose }: DialogProps) {
  const [time, setTime] = useState(formatDurationMs(topic.settings['retention.ms']));
  const [size, setSize] = useState(formatSizeBytes(topic.settings['retention.bytes']));
  const save = async (): Promise<string | undefined> => {
    const ms = parseDurationMs(time);
    if (!ms.ok) return `Retention time: ${ms.error}`;
    const bytes = parseSizeBytes(size);
    if (!bytes.ok) return `Retention size: ${bytes.error}`;
    const changed = await api().call('broker.setTopicConfig', {
      topic: topic.name,
      configs: [
        { name: 'retention.ms', value: String(ms.value) },
        { name: 'retention.bytes', value: String(bytes.value) },
      ],
    });
    onChanged(
      `${topic.name} now keeps messages for ${formatDurationMs(changed.settings['retention.ms'])}, at most ${formatSizeBytes(changed.settings['retention.bytes'])} per partition.`,
    );
    return undefined;
  };
  return (
    <AdminDialog
      title={`Retention of ${topic.name}`}
      confirmLabel="Save retention"
      onConfirm={save}
      onClose={onClose}
    >
      <p className="muted">
        Whole old segments are deleted once they are older than the time, or while a partition is larger than
        the size. Applies at the next retention check; kept across restarts.
      </p>
      <label className="field">
        Keep messages for
        <input aria-label="Retention time" value={time} onChange={(e) => setTime(e.target.value)} />
      </label>
      <label className="field">
        Keep at most, per partition
        <input aria-label="Retention size" value={size} onChange={(e) => setSize(e.target.value)} />
      </label>
      <p className="muted">
        Durations like 7 d, 12 h or 30 min; sizes like 1 GiB or 500 MiB; “forever” or “no limit”.
      </p>
    </AdminDialog>
  );
}

function PartitionsDialog({ topic, onChanged, onClose }: DialogProps) {
  const current = topic.partitions.length;
  const [count, setCount] = useState(String(current + 1));
  const add = async (): Promise<string | undefined> => {
    const n = Number(count);
    if (!Number.isInteger(n) || n <= current || n > 1000)
      return `The new count must be a whole number above ${current} (at most 1000): partitions can only be added.`;
    const changed = await api().call('broker.addPartitions', { topic: topic.name, count: n });
    onChanged(`${topic.name} now has ${changed.partitions.length} partitions.`);
    return undefined;
  };
  return (
    <AdminDialog
      title={`Add partitions to ${topic.name}`}
      confirmLabel="Add partitions"
      onConfirm={add}
      onClose={onClose}
    >
      <p className="muted">
        {topic.name} has {current} partition(s). Partitions cannot be removed again, and keyed messages may go
        to a different partition from now on.
      </p>
      <label className="field">
        New partition count
        <input
          aria-label="New partition count"
          inputMode="numeric"
          value={count}
          onChange={(e) => setCount(e.target.value)}
        />
      </label>
    </AdminDialog>
  );
}

function DeleteTopicDialog({ topic, onChanged, onClose }: DialogProps) {
  const [typed, setTyped] = useState('');
  const remove = async (): Promise<string | undefined> => {
    await api().call('broker.deleteTopic', { name: topic.name });
    onChanged(`Deleted topic ${topic.name} and its ${formatInteger(topic.messages)} message(s).`, true);
    return undefined;
  };
  return (
    <AdminDialog
      title={`Delete topic ${topic.name}`}
      confirmLabel="Delete topic"
      danger
      onConfirm={remove}
      onClose={onClose}
      canConfirm={typed === topic.name}
    >
      <p>
        This deletes all {formatInteger(topic.messages)} message(s) of {topic.name} and every group’s
        committed offsets on it. It cannot be undone.
      </p>
      <label className="field">
        Type the topic’s name to confirm
        <input aria-label="Confirm topic name" value={typed} onChange={(e) => setTyped(e.target.value)} />
      </label>
    </AdminDialog>
  );
}
