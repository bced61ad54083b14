import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fsyncDirectory } from '../../fsync-dir';

/** One committed offset of a consumer group for one topic-partition. */
export interface CommittedOffset {
  offset: number;
  metadata: string;
  commitTimestamp: number;
}

/** A line of offsets.log: a commit, the removal of a topic's offsets for every group, or of a group's. */
type LogLine =
  | { g: string; t: string; p: number; o: number; m: string; ts: number }
  | { deleteTopic: string }
  | { deleteGroup: string };

const FILE = 'offsets.log';

/**
 * Committed offsets, durable in `<dataDir>/offsets.log`: JSON lines appended and fsynced per commit, so a
 * commit acknowledged to a client survives a crash. The file is rewritten compacted (latest value only) on
 * open; a torn or garbled line (a crash mid-write) is skipped instead of refusing to start.
 */
export class OffsetStore {
  /** groupId → topic → partition → committed offset */
  private readonly byGroup = new Map<string, Map<string, Map<number, CommittedOffset>>>();
  private fd: number | null;

  private constructor(private readonly path: string) {
    this.fd = null;
  }

  static open(dataDir: string): OffsetStore {
    mkdirSync(dataDir, { recursive: true });
    const store = new OffsetStore(join(dataDir, FILE));
    if (existsSync(store.path)) store.replay(readFileSync(store.path, 'utf8'));
    store.compact();
    return store;
  }

  private replay(text: string): void {
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      let line: unknown;
      try {
        line = JSON.parse(raw);
      } catch {
        continue;
      }
      this.applyParsed(line);
    }
  }

  private applyParsed(line: unknown): void {
    if (typeof line !== 'object' || line === null) return;
    const l = line as Record<string, unknown>;
    if (typeof l.deleteTopic === 'string') {
      this.dropTopic(l.deleteTopic);
      return;
    }
    if (typeof l.deleteGroup === 'string') {
      this.byGroup.delete(l.deleteGroup);
      return;
    }
    const { g, t, p, o, m, ts } = l;
    if (typeof g !== 'string' || typeof t !== 'string') return;
    if (!Number.isSafeInteger(p) || !Number.isSafeInteger(o)) return;
    this.put(g, t, p as number, {
      offset: o as number,
      metadata: typeof m === 'string' ? m : '',
      commitTimestamp: typeof ts === 'number' ? ts : 0,
    });
  }

  /** Rewrite the file with only the live values, atomically (temp file + rename). */
  private compact(): void {
    const lines: string[] = [];
    for (const [g, topics] of this.byGroup)
      for (const [t, parts] of topics)
        for (const [p, c] of parts)
          lines.push(serialize({ g, t, p, o: c.offset, m: c.metadata, ts: c.commitTimestamp }));
    const tmp = `${this.path}.tmp`;
    const tmpFd = openSync(tmp, 'w');
    try {
      if (lines.length > 0) writeSync(tmpFd, lines.join(''));
      fsyncSync(tmpFd);
    } finally {
      closeSync(tmpFd);
    }
    renameSync(tmp, this.path);
    fsyncDirectory(dirname(this.path));
    this.fd = openSync(this.path, 'a');
  }

  private append(lines: LogLine[]): void {
    if (this.fd === null) throw new Error('offset store is closed');
    if (lines.length === 0) return;
    writeSync(this.fd, lines.map(serialize).join(''));
    fsyncSync(this.fd);
  }

  private put(groupId: string, topic: string, partition: number, c: CommittedOffset): void {
    let topics = this.byGroup.get(groupId);
    if (!topics) this.byGroup.set(groupId, (topics = new Map()));
    let parts = topics.get(topic);
    if (!parts) topics.set(topic, (parts = new Map()));
    parts.set(partition, c);
  }

  private dropTopic(topic: string): void {
    for (const [g, topics] of this.byGroup) {
      topics.delete(topic);
      if (topics.size === 0) this.byGroup.delete(g);
    }
  }

  /** Durably records several offsets of one group with a single write + fsync. */
  commit(
    groupId: string,
    entries: { topic: string; partition: number; offset: number; metadata: string }[],
  ): void {
    const ts = Date.now();
    this.append(
      entries.map((e) => ({ g: groupId, t: e.topic, p: e.partition, o: e.offset, m: e.metadata, ts })),
    );
    for (const e of entries)
      this.put(groupId, e.topic, e.partition, {
        offset: e.offset,
        metadata: e.metadata,
        commitTimestamp: ts,
      });
  }

  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.byGroup.get(groupId)?.get(topic)?.get(partition);
  }

  /** All committed offsets of a group, topics and partitions in ascending order. */
  list(groupId: string): { topic: string; partition: number; committed: CommittedOffset }[] {
    const topics = this.byGroup.get(groupId);
    if (!topics) return [];
    const out: { topic: string; partition: number; committed: CommittedOffset }[] = [];
    for (const t of [...topics.keys()].sort()) {
      const parts = topics.get(t);
      if (!parts) continue;
      for (const p of [...parts.keys()].sort((a, b) => a - b)) {
        const committed = parts.get(p);
        if (committed) out.push({ topic: t, partition: p, committed });
      }
    }
    return out;
  }

  groupIds(): string[] {
    return [...this.byGroup.keys()];
  }

  deleteTopic(topic: string): void {
    if (![...this.byGroup.values()].some((topics) => topics.has(topic))) return;
    this.append([{ deleteTopic: topic }]);
    this.dropTopic(topic);
  }

  /** DeleteGroups: every committed offset of the group, durably. */
  deleteGroup(groupId: string): void {
    if (!this.byGroup.has(groupId)) return;
    this.append([{ deleteGroup: groupId }]);
    this.byGroup.delete(groupId);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

function serialize(line: LogLine): string {
  return `${JSON.stringify(line)}\n`;
}
