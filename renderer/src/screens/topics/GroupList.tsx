import { useState } from 'react';
import type { GroupInfo, ResetOffsetsResult } from '../../../../pipeline/contract';
import { formatInteger } from '../../lib/format';
import { api } from '../../api/client';
import { AdminDialog } from './AdminDialog';
import { GroupLagChart, useGroupLag } from './GroupLagChart';
import { ResetOffsetsDialog } from './ResetOffsetsDialog';

interface Props {
  groups: GroupInfo[];
  topics: string[];
  /** After a group was deleted: refresh the overview. */
  onChanged: () => void;
}

const partitionsText = (assignments: GroupInfo['members'][number]['assignments']) =>
  assignments === null || assignments.length === 0
    ? '–'
    : assignments.map((a) => `${a.topic} [${a.partitions.join(', ')}]`).join('; ');

/** Consumer groups: state, members and what they are assigned, committed offsets and lag per partition. */
export function GroupList({ groups, topics, onChanged }: Props) {
  const [resetting, setResetting] = useState<GroupInfo>();
  const [deleting, setDeleting] = useState<GroupInfo>();
  const [notice, setNotice] = useState<string>();
  const lagOverTime = useGroupLag();

  const done = (result: ResetOffsetsResult | null) => {
    setResetting(undefined);
    if (result)
      setNotice(
        `Reset ${result.groupId} on ${result.topic}: ${result.offsets
          .map((o) => `partition ${o.partition} → ${formatInteger(o.offset)}`)
          .join(', ')}`,
      );
  };

  return (
    <section className="topics-card" aria-label="Consumer groups">
      <header>
        <h2>Consumer groups</h2>
        <span className="muted">{formatInteger(groups.length)} group(s)</span>
      </header>
      {notice && (
        <p role="status" className="banner notice">
          {notice}
        </p>
      )}
      {groups.length === 0 && (
        <p className="muted">
          No consumer groups yet. The lake stream and any consumer with a group id show here.
        </p>
      )}
      {groups.map((g) => {
        const idle = g.members.length === 0;
        return (
          <article key={g.groupId} className="group" aria-label={`Group ${g.groupId}`}>
            <header>
              <h3>{g.groupId}</h3>
              <span className={`state-badge group-${g.state}`}>{g.state}</span>
              <span aria-label={`Total lag of ${g.groupId}`}>
                Lag <strong>{formatInteger(g.totalLag)}</strong>
              </span>
              <button
                type="button"
                onClick={() => setResetting(g)}
                disabled={!idle}
                title={
                  idle
                    ? undefined
                    : 'Stop the group’s consumers first: Kafka resets only groups with no members.'
                }
              >
                Reset offsets…
              </button>
              <button
                type="button"
                className="danger"
                onClick={() => setDeleting(g)}
                disabled={!idle}
                title={
                  idle
                    ? undefined
                    : 'Stop the group’s consumers first: Kafka deletes only groups with no members.'
                }
              >
                Delete group…
              </button>
            </header>
            <GroupLagChart groupId={g.groupId} samples={lagOverTime.get(g.groupId)} />
            {!idle && (
              <table className="topics-table" aria-label={`Members of ${g.groupId}`}>
                <thead>
                  <tr>
                    <th scope="col">Client id</th>
                    <th scope="col">Host</th>
                    <th scope="col">Assigned partitions</th>
                  </tr>
                </thead>
                <tbody>
                  {g.members.map((m) => (
                    <tr key={m.memberId}>
                      <td title={m.memberId}>{m.clientId}</td>
                      <td>{m.clientHost}</td>
                      <td>{partitionsText(m.assignments)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {g.offsets.length === 0 ? (
              <p className="muted">No committed offsets.</p>
            ) : (
              <table className="topics-table" aria-label={`Offsets of ${g.groupId}`}>
                <thead>
                  <tr>
                    <th scope="col">Topic</th>
                    <th scope="col" className="num">
                      Partition
                    </th>
                    <th scope="col" className="num">
                      Committed
                    </th>
                    <th scope="col" className="num">
                      End offset
                    </th>
                    <th scope="col" className="num">
                      Lag
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {g.offsets.map((o) => (
                    <tr key={`${o.topic}-${o.partition}`}>
                      <td>{o.topic}</td>
                      <td className="num">{o.partition}</td>
                      <td className="num">{formatInteger(o.committedOffset)}</td>
                      <td className="num">{formatInteger(o.logEndOffset)}</td>
                      <td className="num">{formatInteger(o.lag)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </article>
        );
      })}
      {deleting && (
        <AdminDialog
          title={`Delete group ${deleting.groupId}`}
          confirmLabel="Delete group"
          danger
          onClose={() => setDeleting(undefined)}
          onConfirm={async () => {
            await api().call('broker.deleteGroup', { groupId: deleting.groupId });
            setNotice(
              `Deleted group ${deleting.groupId} and its ${deleting.offsets.length} committed offset(s).`,
            );
            onChanged();
            return undefined;
          }}
        >
          <p>
            This deletes the group {deleting.groupId} and its committed offsets on{' '}
            {formatInteger(deleting.offsets.length)} partition(s). A consumer that joins it later starts from
            its auto.offset.reset position.
          </p>
        </AdminDialog>
      )}
      {resetting && (
        <ResetOffsetsDialog group={resetting} topics={choicesOf(resetting, topics)} onDone={done} />
      )}
    </section>
  );
}

/** The group's own topics first; any topic can be reset. */
function choicesOf(g: GroupInfo, topics: string[]): string[] {
  return [...new Set([...g.offsets.map((o) => o.topic), ...topics])];
}
