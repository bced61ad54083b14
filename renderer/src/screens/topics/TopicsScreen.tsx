import { useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { useSettings } from '../../lib/useSettings';
import { BrokerPanel } from './BrokerPanel';
import { CreateTopicDialog } from './CreateTopicDialog';
import { DeleteRecordsDialog } from './DeleteRecordsDialog';
import { GroupList } from './GroupList';
import { MessageBrowser } from './MessageBrowser';
import { TopicActions } from './TopicActions';
import { PartitionTable, TopicList } from './TopicList';
import { useBrokerOverview } from './useBrokerOverview';
import './topics.css';

/** The app's Kafdrop: the embedded broker, its topics and partitions, consumer groups, and messages. */
export function TopicsScreen() {
  const { overview, error, refresh } = useBrokerOverview();
  const [settings] = useSettings();
  const [selected, setSelected] = useState<{ topic: string; partition: number }>();
  const [creating, setCreating] = useState(false);
  const [trimming, setTrimming] = useState<number>();
  const [notice, setNotice] = useState<string>();

  const changed = (message: string | null) => {
    if (message) setNotice(message);
    refresh();
  };

  if (!overview) {
    return error ? (
      <EmptyState title="The broker cannot be reached">
        <p role="alert" className="error-text">
          {error}
        </p>
      </EmptyState>
    ) : (
      <p className="muted">Loading the broker…</p>
    );
  }

  const running = overview.status.state === 'running';
  const topic = selected && overview.topics.find((t) => t.name === selected.topic);

  return (
    <div className="topics-screen">
      <BrokerPanel
        status={overview.status}
        connections={overview.connections}
        savedPort={settings?.brokerPort}
      />
      {error && (
        <p role="alert" className="banner error">
          Refreshing failed: {error}
        </p>
      )}
      {notice && (
        <p role="status" aria-label="Topic notice" className="banner notice">
          {notice}
        </p>
      )}
      {!running ? (
        <EmptyState title="The broker is not running">
          <p className="muted">
            Start it above to see topics, consumer groups and messages. Its data stays on disk between runs.
          </p>
        </EmptyState>
      ) : (
        <>
          <div className="topics-columns">
            <TopicList
              topics={overview.topics}
              selected={topic?.name}
              onSelect={(name) => setSelected({ topic: name, partition: 0 })}
              onCreate={() => setCreating(true)}
            />
            <GroupList
              groups={overview.groups}
              topics={overview.topics.map((t) => t.name)}
              onChanged={refresh}
            />
          </div>
          {topic && selected && (
            <>
              <section className="topics-card" aria-label={`Topic ${topic.name}`}>
                <header>
                  <h2>{topic.name}</h2>
                  <TopicActions
                    topic={topic}
                    onChanged={(message, deleted) => {
                      if (deleted) setSelected(undefined);
                      changed(message);
                    }}
                  />
                </header>
                <PartitionTable
                  topic={topic}
                  partition={selected.partition}
                  onBrowse={(partition) => setSelected({ topic: topic.name, partition })}
                  onDeleteRecords={setTrimming}
                />
                {trimming !== undefined && (
                  <DeleteRecordsDialog
                    topic={topic}
                    partition={trimming}
                    onDone={(message) => {
                      setTrimming(undefined);
                      changed(message);
                    }}
                  />
                )}
              </section>
              <MessageBrowser
                key={`${topic.name}/${selected.partition}`}
                topic={topic}
                partition={selected.partition}
                onPartition={(partition) => setSelected({ topic: topic.name, partition })}
              />
            </>
          )}
          {creating && (
            <CreateTopicDialog
              onDone={(message, name) => {
                setCreating(false);
                if (name) setSelected({ topic: name, partition: 0 });
                changed(message);
              }}
            />
          )}
        </>
      )}
    </div>
  );
}
