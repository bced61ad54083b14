import type { Kafka } from 'kafkajs';

/** A full month (~12 GB of JSON for 2019-Oct) should not leave a second copy of itself on a laptop's disk. */
export const DEFAULT_RETENTION_BYTES = 2 * 1024 ** 3;
export const DEFAULT_EVENT_PARTITIONS = 3;

/**
 * The one definition of an event topic, whoever creates it first (the replay, or the lake consumer
 * waiting for one): its partitions, and a retention bound in bytes over the whole topic (Kafka's
 * retention.bytes is per partition).
 */
export function eventTopicSpec(
  topic: string,
  partitions = DEFAULT_EVENT_PARTITIONS,
  retentionBytes = DEFAULT_RETENTION_BYTES,
): TopicSpec {
  return {
    topic,
    partitions,
    configs: { 'retention.bytes': String(Math.ceil(retentionBytes / partitions)) },
  };
}

export interface TopicSpec {
  topic: string;
  partitions: number;
  /** Topic-level settings for a topic created here (e.g. retention.bytes); an existing topic keeps its own. */
  configs?: Record<string, string>;
}

export interface EnsuredTopics {
  /** Partition count of each topic as it now exists. */
  partitions: Map<string, number>;
  /** Topics that existed already. */
  existing: Set<string>;
  /** Human-readable notes, e.g. an existing topic with another partition count. */
  warnings: string[];
}

/** Creates the topics that are missing (over the wire: CreateTopics) and reports the partitions of all of them. */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[]): Promise<EnsuredTopics> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set((await admin.listTopics()).filter((t) => specs.some((s) => s.topic === t)));
    const wanted = specs.filter((s) => !existing.has(s.topic));
    if (wanted.length) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: wanted.map((s) => ({
          topic: s.topic,
          numPartitions: s.partitions,
          configEntries: Object.entries(s.configs ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    const meta = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.topic) });
    const partitions = new Map(meta.topics.map((t) => [t.name, t.partitions.length]));
    const warnings: string[] = [];
    for (const s of specs) {
      const count = partitions.get(s.topic) ?? s.partitions;
      if (existing.has(s.topic) && count !== s.partitions)
        warnings.push(
          `Topic ${s.topic} already exists with ${count} partitions; replaying into those ${count}.`,
        );
    }
    return { partitions, existing, warnings };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** The end offset (high watermark) of each partition of a topic. */
export async function endOffsets(kafka: Kafka, topic: string): Promise<Map<number, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
