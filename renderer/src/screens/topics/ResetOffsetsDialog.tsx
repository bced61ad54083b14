import { useEffect, useRef, useState } from 'react';
import type { GroupInfo, ResetOffsetsResult } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { parseTime } from './message-tools';

interface Props {
  group: GroupInfo;
  topics: string[];
  onDone: (result: ResetOffsetsResult | null) => void;
}

type Target = 'earliest' | 'latest' | 'time';

/** Confirms and performs a reset of an idle group's offsets on one topic. */
export function ResetOffsetsDialog({ group, topics, onDone }: Props) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [topic, setTopic] = useState(topics[0] ?? '');
  const [target, setTarget] = useState<Target>('earliest');
  const [time, setTime] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => dialogRef.current?.showModal(), []);

  const finish = (result: ResetOffsetsResult | null) => {
    dialogRef.current?.close();
    onDone(result);
  };

  const confirm = async () => {
    setError(undefined);
    let to: 'earliest' | 'latest' | { timestamp: number };
    if (target === 'time') {
      const parsed = parseTime(time);
      if ('error' in parsed) return setError(parsed.error);
      to = { timestamp: parsed.ms };
    } else to = target;
    setBusy(true);
    try {
      finish(await api().call('broker.resetOffsets', { groupId: group.groupId, topic, to }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialogRef}
      className="file-picker reset-dialog"
      aria-label={`Reset offsets of ${group.groupId}`}
      onCancel={(e) => {
        e.preventDefault();
        finish(null);
      }}
    >
      <h2>Reset offsets of {group.groupId}</h2>
      <p className="muted">
        The group&apos;s consumers will continue from the new offsets the next time they start. This cannot be
        undone.
      </p>
      {topics.length === 0 ? (
        <p className="error-text">There are no topics to reset.</p>
      ) : (
        <>
          <label className="field">
            Topic
            <select aria-label="Topic to reset" value={topic} onChange={(e) => setTopic(e.target.value)}>
              {topics.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <fieldset className="field">
            <legend>Move to</legend>
            {(['earliest', 'latest', 'time'] as const).map((t) => (
              <label key={t} className="radio">
                <input
                  type="radio"
                  name="reset-target"
                  value={t}
                  checked={target === t}
                  onChange={() => setTarget(t)}
                />
                {t === 'earliest'
                  ? 'Earliest (re-read everything retained)'
                  : t === 'latest'
                    ? 'Latest (skip everything up to now)'
                    : 'The first message at or after a time'}
              </label>
            ))}
            {target === 'time' && (
              <input
                aria-label="Reset to time (UTC)"
                placeholder="2019-10-01 00:00:00"
                value={time}
                onChange={(e) => setTime(e.target.value)}
              />
            )}
          </fieldset>
        </>
      )}
      {error && (
        <p role="alert" className="banner error">
          {error}
        </p>
      )}
      <div className="file-picker-actions">
        <button type="button" onClick={() => finish(null)}>
          Cancel
        </button>
        <button
          type="button"
          className="primary danger"
          onClick={() => void confirm()}
          disabled={busy || topics.length === 0}
        >
          Reset offsets
        </button>
      </div>
    </dialog>
  );
}
