import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a replay of one file onto one topic (with one mapping and window) got to. */
export interface Checkpoint {
  key: string;
  path: string;
  topic: string;
  /** Rows of the replay order fully handled: sent and acknowledged, or sent to the DLQ. */
  rowsDone: number;
  /** The CSV reader's rejected lines already sent to the DLQ (by line number). */
  rejectedLinesDone: number;
  completed: boolean;
  /** Rows the whole replay was estimated to hold, for "Resume from row N (39 %)". */
  estimatedRows?: number;
  updatedAt: string;
}

/**
 * Checkpoints live in `<config>/replay-checkpoints/<key>.json`, written atomically. The key covers what makes
 * two runs the same replay: the file (path, size, modification time), topic, mapping, window, order and key.
 */
export class CheckpointStore {
  constructor(private readonly dir: string) {}

  static keyOf(parts: unknown): string {
    return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 24);
  }

  load(key: string): Checkpoint | null {
    try {
      const saved = JSON.parse(readFileSync(join(this.dir, `${key}.json`), 'utf8')) as Checkpoint;
      return saved.key === key && Number.isSafeInteger(saved.rowsDone) ? saved : null;
    } catch {
      return null;
    }
  }

  save(checkpoint: Checkpoint): void {
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, `${checkpoint.key}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(checkpoint, null, 2));
    renameSync(`${file}.tmp`, file);
  }
}
