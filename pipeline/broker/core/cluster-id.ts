import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A stable id for this data folder, reported in Metadata as Kafka's cluster id is. */
export function clusterIdOf(dataDir: string): string {
  const file = join(dataDir, 'cluster-id');
  if (existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim();
    if (saved) return saved;
  }
  const id = randomBytes(16).toString('base64url').slice(0, 22);
  writeFileSync(file, id);
  return id;
}
