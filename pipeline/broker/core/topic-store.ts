import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { BrokerConfig } from '../config';
import { PartitionLog, type AppendResult, type LiveLogSettings } from '../log/partition-log';
import { defaultTopicSettings, type TopicSettings } from './topic-config';

interface Topic {
  name: string;
  partitions: PartitionLog[];
  overrides: Partial<TopicSettings>;
}

type AppendListener = (topic: string, partition: number) => void;

const PARTITION_DIR = /^(.+)-(\d+)$/;

/**
 * The topics of one broker on disk: `<data>/logs/<topic>-<partition>/` holds each partition's log
 * (the directories are the truth about which topics exist), `<data>/topic-settings.json` the
 * per-topic overrides given at creation.
 */
export class TopicStore {
  private readonly topics = new Map<string, Topic>();
  private readonly listeners = new Set<AppendListener>();
  private readonly logsDir: string;
  private readonly settingsFile: string;

  private constructor(private readonly config: BrokerConfig) {
    this.logsDir = join(config.dataDir, 'logs');
    this.settingsFile = join(config.dataDir, 'topic-settings.json');
  }

  static open(config: BrokerConfig): TopicStore {
    const store = new TopicStore(config);
    store.load();
    return store;
  }

  private load(): void {
    mkdirSync(this.logsDir, { recursive: true });
    const saved = this.readSettings();
    const found = new Map<string, number[]>();
    for (const entry of readdirSync(this.logsDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      // A delete that crashed half-way leaves renamed directories: finish it.
      if (entry.name.endsWith('.deleted')) {
        rmSync(join(this.logsDir, entry.name), { recursive: true, force: true });
        continue;
      }
      const m = PARTITION_DIR.exec(entry.name);
      if (!m) continue;
      const list = found.get(m[1] as string) ?? [];
      list.push(Number(m[2]));
      found.set(m[1] as string, list);
    }
    for (const [name, indexes] of found) {
      indexes.sort((a, b) => a - b);
      // Partitions are 0..n-1; a gap means a partition directory was removed by hand: recreate it empty.
      const count = (indexes.at(-1) ?? 0) + 1;
      const overrides = saved[name] ?? {};
      this.topics.set(name, { name, overrides, partitions: this.openPartitions(name, count, overrides) });
    }
  }

  private readSettings(): Record<string, Partial<TopicSettings>> {
    if (!existsSync(this.settingsFile)) return {};
    try {
      return JSON.parse(readFileSync(this.settingsFile, 'utf8')) as Record<string, Partial<TopicSettings>>;
    } catch {
      return {};
    }
  }

  private writeSettings(): void {
    const all = Object.fromEntries([...this.topics.values()].map((t) => [t.name, t.overrides]));
    const tmp = `${this.settingsFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(all, null, 2));
    renameSync(tmp, this.settingsFile);
  }

  private openPartitions(name: string, count: number, overrides: Partial<TopicSettings>): PartitionLog[] {
    return Array.from({ length: count }, (_, p) => this.openPartition(name, p, overrides));
  }

  private openPartition(name: string, partition: number, overrides: Partial<TopicSettings>): PartitionLog {
    return PartitionLog.open(join(this.logsDir, `${name}-${partition}`), {
      ...this.logSettings(overrides),
      flushIntervalMs: this.config.flushIntervalMs,
    });
  }

  private logSettings(overrides: Partial<TopicSettings>): LiveLogSettings {
    const s = this.settings(overrides);
    return {
      segmentBytes: s['segment.bytes'],
      segmentMs: s['segment.ms'],
      retentionBytes: s['retention.bytes'],
      retentionMs: s['retention.ms'],
    };
  }

  settings(overrides: Partial<TopicSettings>): TopicSettings {
    return { ...defaultTopicSettings(this.config), ...overrides };
  }

  names(): string[] {
    return [...this.topics.keys()].sort();
  }

  has(name: string): boolean {
    return this.topics.has(name);
  }

  topic(name: string): Readonly<Topic> | undefined {
    return this.topics.get(name);
  }

  log(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  create(name: string, partitions: number, overrides: Partial<TopicSettings>): void {
    if (this.topics.has(name)) throw new Error(`topic ${name} exists`);
    this.topics.set(name, { name, overrides, partitions: this.openPartitions(name, partitions, overrides) });
    this.writeSettings();
  }

  /** CreatePartitions: new, empty partitions after the existing ones (their directories make it persistent). */
  addPartitions(name: string, total: number): void {
    const topic = this.topics.get(name);
    if (!topic) throw new Error(`no topic ${name}`);
    for (let p = topic.partitions.length; p < total; p++) {
      topic.partitions.push(this.openPartition(name, p, topic.overrides));
    }
  }

  /** AlterConfigs: the topic's overrides become `overrides`, saved first, then applied to every open log. */
  setOverrides(name: string, overrides: Partial<TopicSettings>): void {
    const topic = this.topics.get(name);
    if (!topic) throw new Error(`no topic ${name}`);
    topic.overrides = overrides;
    this.writeSettings();
    const live = this.logSettings(overrides);
    for (const log of topic.partitions) log.reconfigure(live);
  }

  delete(name: string): boolean {
    const topic = this.topics.get(name);
    if (!topic) return false;
    this.topics.delete(name);
    this.writeSettings();
    topic.partitions.forEach((log, p) => {
      log.close();
      const dir = join(this.logsDir, `${name}-${p}`);
      // A short name of its own: "<topic>-<partition>.deleted" would pass 255 bytes for names near Kafka's
      // 249-character limit, and the failed rename would bring the topic back at the next start.
      const doomed = join(this.logsDir, `${randomUUID()}.deleted`);
      renameSync(dir, doomed);
      rmSync(doomed, { recursive: true, force: true });
    });
    return true;
  }

  append(topic: string, partition: number, records: Buffer): AppendResult | undefined {
    const log = this.log(topic, partition);
    if (!log) return undefined;
    const result = log.append(records);
    if (result.ok && !result.duplicate) for (const listener of this.listeners) listener(topic, partition);
    return result;
  }

  onAppend(listener: AppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  forEachLog(fn: (log: PartitionLog, topic: string, partition: number) => void): void {
    for (const t of this.topics.values()) t.partitions.forEach((log, p) => fn(log, t.name, p));
  }

  close(): void {
    this.forEachLog((log) => log.close());
    this.topics.clear();
    this.listeners.clear();
  }
}
