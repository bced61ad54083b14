import { useState } from 'react';
import { api } from '../../api/client';
import { AdminDialog } from './AdminDialog';
import { parseDurationMs, parseSizeBytes } from './config-units';

interface Props {
  onDone: (message: string | null, topic?: string) => void;
}

/** Name, partitions and (optionally) retention of a new topic; empty retention fields keep the broker's default. */
export function CreateTopicDialog({ onDone }: Props) {
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState('1');
  const [retention, setRetention] = useState('');
  const [size, setSize] = useState('');

  const create = async (): Promise<string | undefined> => {
    const count = Number(partitions);
    if (!Number.isInteger(count) || count < 1 || count > 1000)
      return 'Partitions must be a whole number from 1 to 1000.';
    const ms = retention.trim() === '' ? undefined : parseDurationMs(retention);
    if (ms && !ms.ok) return `Retention time: ${ms.error}`;
    const bytes = size.trim() === '' ? undefined : parseSizeBytes(size);
    if (bytes && !bytes.ok) return `Retention size: ${bytes.error}`;
    const topic = await api().call('broker.createTopic', {
      name: name.trim(),
      partitions: count,
      ...(ms ? { retentionMs: ms.value } : {}),
      ...(bytes ? { retentionBytes: bytes.value } : {}),
    });
    onDone(`Created topic ${topic.name} with ${topic.partitions.length} partition(s).`, topic.name);
    return undefined;
  };

  return (
    <AdminDialog
      title="Create a topic"
      confirmLabel="Create topic"
      onConfirm={create}
      onClose={() => onDone(null)}
      canConfirm={name.trim() !== ''}
    >
      <label className="field">
        Name
        <input aria-label="Topic name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
      </label>
      <label className="field">
        Partitions
        <input
          aria-label="Partitions"
          inputMode="numeric"
          value={partitions}
          onChange={(e) => setPartitions(e.target.value)}
        />
      </label>
      <label className="field">
        Keep messages for
        <input
          aria-label="Retention time"
          placeholder="7 d (the broker's default)"
          value={retention}
          onChange={(e) => setRetention(e.target.value)}
        />
      </label>
      <label className="field">
        Keep at most, per partition
        <input
          aria-label="Retention size"
          placeholder="1 GiB (the broker's default)"
          value={size}
          onChange={(e) => setSize(e.target.value)}
        />
      </label>
      <p className="muted">
        Durations like 7 d, 12 h or 30 min; sizes like 1 GiB or 500 MiB; “forever” or “no limit” to keep
        everything.
      </p>
    </AdminDialog>
  );
}
