import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { BrokerConfig } from '../config';
import { PartitionLog, type AppendResult, type LiveLogSettings } from '../log/partition-log';
import { defaultTopicSettings, type TopicSettings } from './topic-config';

interface Topic {
  name: string;
  /** Kafka's topic id (22-character base64url UUID), used by Metadata v10+ and Fetch v13+. */
  id: string;
  partitions: PartitionLog[];
  overrides: Partial<TopicSettings>;
}

type AppendListener = (topic: string, partition: number) => void;

const PARTITION_DIR = /^(.+)-(\d+)$/;

/**
 * The topics of one broker on disk: `<data>/logs/<topic>-<partition>/` holds each partition's log
 * (the directories are the truth about which topics exist), `<data>/topic-settings.json` the
 * per-topic overrides given at creation, `<data>/topic-ids.json` each topic's id (kept for the topic's
 * life, as clients that fetch by id notice a changed id as a deleted and recreated topic).
 */
export class TopicStore {
  private readonly topics = new Map<string, Topic>();
  private readonly listeners = new Set<AppendListener>();
  private readonly logsDir: string;
  private readonly settingsFile: string;
  private readonly idsFile: string;
  private readonly byId = new Map<string, string>();

  private constructor(private readonly config: BrokerConfig) {
    this.logsDir = join(config.dataDir, 'logs');
    this.settingsFile = join(config.dataDir, 'topic-settings.json');
    this.idsFile = join(config.dataDir, 'topic-ids.json');
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
    const savedIds = readJson<Record<string, string>>(this.idsFile);
    let newIds = false;
    for (const [name, indexes] of found) {
      indexes.sort((a, b) => a - b);
      // Partitions are 0..n-1; a gap means a partition directory was removed by hand: recreate it empty.
      const count = (indexes.at(-1) ?? 0) + 1;
      const overrides = saved[name] ?? {};
      let id = savedIds[name];
      if (id === undefined || this.byId.has(id)) {
        id = this.freshId();
        newIds = true;
      }
      this.byId.set(id, name);
      this.topics.set(name, { name, id, overrides, partitions: this.openPartitions(name, count, overrides) });
    }
    if (newIds || Object.keys(savedIds).length !== this.topics.size) this.writeIds();
  }

  /** Like Kafka's Uuid.randomUuid: never the zero id, never one whose text starts with '-'. */
  private freshId(): string {
    for (;;) {
      const id = randomBytes(16).toString('base64url');
      if (!id.startsWith('-') && id !== 'AAAAAAAAAAAAAAAAAAAAAA' && !this.byId.has(id)) return id;
    }
  }

  private writeIds(): void {
    const all = Object.fromEntries([...this.topics.values()].map((t) => [t.name, t.id]));
    const tmp = `${this.idsFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(all, null, 2));
    renameSync(tmp, this.idsFile);
  }

  private readSettings(): Record<string, Partial<TopicSettings>> {
    return readJson<Record<string, Partial<TopicSettings>>>(this.settingsFile);
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

  /** The topic's id, or undefined for an unknown topic. */
  idOf(name: string): string | undefined {
    return this.topics.get(name)?.id;
  }

  /** The name of the topic with this id, or undefined when no topic has it. */
  nameOf(id: string): string | undefined {
    return this.byId.get(id);
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
    const id = this.freshId();
    this.topics.set(name, {
      name,
      id,
      overrides,
      partitions: this.openPartitions(name, partitions, overrides),
    });
    this.byId.set(id, name);
    this.writeIds();
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
    this.byId.delete(topic.id);
    this.writeIds();
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
    this.byId.clear();
    this.listeners.clear();
  }
}

function readJson<T extends object>(file: string): T {
  if (!existsSync(file)) return {} as T;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return {} as T;
  }
}
