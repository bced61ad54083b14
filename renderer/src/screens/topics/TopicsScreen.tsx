import { useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { useSettings } from '../../lib/useSettings';
import { BrokerPanel } from './BrokerPanel';
import { GroupList } from './GroupList';
import { MessageBrowser } from './MessageBrowser';
import { PartitionTable, TopicList } from './TopicList';
import { useBrokerOverview } from './useBrokerOverview';
import './topics.css';

/** The app's Kafdrop: the embedded broker, its topics and partitions, consumer groups, and messages. */
export function TopicsScreen() {
  const { overview, error } = useBrokerOverview();
  const [settings] = useSettings();
  const [selected, setSelected] = useState<{ topic: string; partition: number }>();

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
            />
            <GroupList groups={overview.groups} topics={overview.topics.map((t) => t.name)} />
          </div>
          {topic && selected && (
            <>
              <section className="topics-card" aria-label={`Topic ${topic.name}`}>
                <header>
                  <h2>{topic.name}</h2>
                  <span className="muted">
                    {Object.entries(topic.settings)
                      .filter(([k]) => ['retention.ms', 'retention.bytes', 'segment.bytes'].includes(k))
                      .map(([k, v]) => `${k} ${v}`)
                      .join(' · ')}
                  </span>
                </header>
                <PartitionTable
                  topic={topic}
                  partition={selected.partition}
                  onBrowse={(partition) => setSelected({ topic: topic.name, partition })}
                />
              </section>
              <MessageBrowser
                key={`${topic.name}/${selected.partition}`}
                topic={topic}
                partition={selected.partition}
                onPartition={(partition) => setSelected({ topic: topic.name, partition })}
              />
            </>
          )}
        </>
      )}
    </div>
  );
}
