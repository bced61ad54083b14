import type { Kafka } from 'kafkajs';

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
