import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BLOCK = 1000;

/**
 * Hands out producer ids for InitProducerId that stay unique across restarts (the logs keep
 * sequence state per id). Reserves ids in blocks so the file is written once per thousand ids.
 */
export class ProducerIds {
  private next: number;
  private reservedUpTo: number;
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'producer-ids.json');
    const saved = existsSync(this.file) ? readSaved(this.file) : 0;
    this.next = saved;
    this.reservedUpTo = saved;
  }

  allocate(): number {
    if (this.next >= this.reservedUpTo) {
      this.reservedUpTo = this.next + BLOCK;
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify({ nextBlockStart: this.reservedUpTo }), { flush: true });
      renameSync(tmp, this.file);
    }
    return this.next++;
  }
}

function readSaved(file: string): number {
  try {
    const value = (JSON.parse(readFileSync(file, 'utf8')) as { nextBlockStart?: unknown }).nextBlockStart;
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
  } catch {
    return 0;
  }
}
