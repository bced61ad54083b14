import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { lakePaths } from '../lake/layout';

/** One committed Bronze file: the messages of one partition from offset first to last. */
export interface BronzeRange {
  partition: number;
  first: number;
  last: number;
  rows: number;
  /** Path relative to the lake folder. */
  file: string;
  committedAt: string;
}

const FILE_NAME = /^(\d{20})-(\d{20})\.parquet$/;
const SUPERSEDED = '.superseded';

/** A manifest line saying one merged file replaced several small ones. */
interface Compaction {
  range: BronzeRange;
  replaces: string[];
}

/**
 * The Bronze manifest of one topic: `_state/bronze/<topic>.manifest.jsonl`, one committed range per line.
 * A file is committed in this order: written to a temp name and fsynced, renamed into place, then its line
 * appended and fsynced. So on open: a torn last line is ignored, a renamed file whose line is missing is
 * adopted (it is complete), temp files are deleted, and the writer resumes after the highest committed
 * offset of each partition — never losing or repeating a message.
 */
export class BronzeManifest {
  private readonly byPartition = new Map<number, BronzeRange[]>();
  private readonly file: string;

  private constructor(
    private readonly lake: string,
    readonly topic: string,
  ) {
    const dir = join(lakePaths(lake).state, 'bronze');
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, `${topic}.manifest.jsonl`);
  }

  static open(lake: string, topic: string): BronzeManifest {
    const manifest = new BronzeManifest(lake, topic);
    manifest.load();
    return manifest;
  }

  private load(): void {
    if (existsSync(this.file)) {
      for (const line of readFileSync(this.file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const entry = JSON.parse(line) as BronzeRange | Compaction;
          if ('replaces' in entry) this.apply(entry);
          else this.remember(entry);
        } catch {
          // A line torn by a crash mid-append: its file is adopted from the folder below.
        }
      }
    }
    this.adoptFiles();
    this.resolveContainment();
  }

  /** Files renamed into place whose manifest line a crash cut off are complete: adopt them. */
  private adoptFiles(): void {
    const topicDir = lakePaths(this.lake).bronzeTopic(this.topic);
    if (!existsSync(topicDir)) return;
    for (const part of readdirSync(topicDir)) {
      const m = /^partition=(\d+)$/.exec(part);
      if (!m) continue;
      const partition = Number(m[1]);
      for (const name of readdirSync(join(topicDir, part))) {
        const path = join(topicDir, part, name);
        if (name.endsWith('.tmp') || name.endsWith(SUPERSEDED)) {
          rmSync(path, { force: true });
          continue;
        }
        const f = FILE_NAME.exec(name);
        if (!f) continue;
        const first = Number(f[1]);
        const last = Number(f[2]);
        if (!this.hasFile(partition, relative(this.lake, path))) {
          this.record({
            partition,
            first,
            last,
            rows: last - first + 1,
            file: relative(this.lake, path),
            committedAt: new Date().toISOString(),
          });
        }
      }
    }
  }

  /**
   * A merged file renamed into place just before a crash, whose compaction line is missing, covers the
   * files it replaced: finish that compaction now (record it, drop the small files).
   */
  private resolveContainment(): void {
    for (const partition of [...this.byPartition.keys()]) {
      for (;;) {
        const list = this.byPartition.get(partition) ?? [];
        const within = (b: BronzeRange) =>
          list.filter((r) => r !== b && r.first >= b.first && r.last <= b.last);
        const big = list.find((b) => within(b).length > 0);
        if (!big) break;
        this.compact(
          big,
          within(big).map((r) => r.file),
        );
      }
    }
  }

  private hasFile(partition: number, file: string): boolean {
    return (this.byPartition.get(partition) ?? []).some((r) => r.file === file);
  }

  private apply(entry: Compaction): void {
    const list = (this.byPartition.get(entry.range.partition) ?? []).filter(
      (r) => !entry.replaces.includes(r.file),
    );
    if (!list.some((r) => r.file === entry.range.file)) list.push(entry.range);
    this.byPartition.set(entry.range.partition, list);
  }

  private remember(range: BronzeRange): void {
    const list = this.byPartition.get(range.partition) ?? [];
    list.push(range);
    this.byPartition.set(range.partition, list);
  }

  /** Next offset Bronze needs from a partition, or null when it has none of it yet. */
  next(partition: number): number | null {
    const list = this.byPartition.get(partition);
    if (!list?.length) return null;
    return Math.max(...list.map((r) => r.last)) + 1;
  }

  /** Appends a committed range durably. */
  record(range: BronzeRange): void {
    const fd = openSync(this.file, 'a');
    try {
      writeSync(fd, `${JSON.stringify(range)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.remember(range);
  }

  /**
   * Records that `range` (a merged file already renamed into place) replaces `files`, then moves those
   * files out of every glob's sight (`*.parquet.superseded`, removed for good at the next start).
   */
  compact(range: BronzeRange, files: string[]): void {
    const entry: Compaction = { range, replaces: files };
    const fd = openSync(this.file, 'a');
    try {
      writeSync(fd, `${JSON.stringify(entry)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.apply(entry);
    for (const f of files) {
      const path = join(this.lake, f);
      if (existsSync(path)) renameSync(path, `${path}${SUPERSEDED}`);
    }
  }

  ranges(): BronzeRange[] {
    return [...this.byPartition.values()]
      .flat()
      .sort((a, b) => a.partition - b.partition || a.first - b.first);
  }

  rows(): number {
    return this.ranges().reduce((n, r) => n + r.rows, 0);
  }
}
