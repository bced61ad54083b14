import { useState } from 'react';
import type { TopicInfo } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { formatInteger } from '../../lib/format';
import { AdminDialog } from './AdminDialog';

interface Props {
  topic: TopicInfo;
  partition: number;
  onDone: (message: string | null) => void;
}

/** Deletes a partition's records below an offset (Kafka's DeleteRecords): its start offset moves there. */
export function DeleteRecordsDialog({ topic, partition, onDone }: Props) {
  const p = topic.partitions[partition];
  const start = p?.logStartOffset ?? 0;
  const end = p?.logEndOffset ?? 0;
  // Empty at first: a default would delete something nobody chose.
  const [offset, setOffset] = useState('');
  const n = Number(offset);
  const valid = offset.trim() !== '' && Number.isInteger(n) && n > start && n <= end;

  const remove = async (): Promise<string | undefined> => {
    const result = await api().call('broker.deleteRecords', {
      topic: topic.name,
      partition,
      beforeOffset: n,
    });
    onDone(
      `Deleted ${formatInteger(result.logStartOffset - start)} record(s) of ${topic.name}-${partition}: it now starts at offset ${formatInteger(result.logStartOffset)}.`,
    );
    return undefined;
  };

  return (
    <AdminDialog
      title={`Delete records of ${topic.name}-${partition}`}
      confirmLabel="Delete records"
      danger
      onConfirm={remove}
      onClose={() => onDone(null)}
      canConfirm={valid}
    >
      <p className="muted">
        The partition holds offsets {formatInteger(start)} to {formatInteger(end - 1)}. Records below the
        offset you give are deleted for good; consumers behind it continue from the new start.
      </p>
      <label className="field">
        Delete every record before offset
        <input
          aria-label="Delete before offset"
          inputMode="numeric"
          value={offset}
          onChange={(e) => setOffset(e.target.value)}
        />
      </label>
      <p role="status" aria-label="Records to delete">
        {valid
          ? `${formatInteger(n - start)} record(s) will be deleted (offsets ${formatInteger(start)} to ${formatInteger(n - 1)}).`
          : `Give an offset from ${formatInteger(start + 1)} to ${formatInteger(end)}.`}
      </p>
    </AdminDialog>
  );
}
