import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartitionLog } from '../../../../pipeline/broker/log/partition-log';
import { startChild } from '../../../helpers/children';
import { decodeRecords } from '../../../helpers/record-batches';
import { tempDir } from '../../../helpers/temp';

const repo = resolve(import.meta.dirname, '../../../..');

/** The writer stops by itself after this many appends (the test kills it long before: at 20,000 offsets). */
const WRITER_MAX_APPENDS = 40_000;

/**
 * A child process that appends as fast as it can and prints every acknowledged base offset. Bounded: it
 * stops after WRITER_MAX_APPENDS appends, or as soon as its parent is gone (a timed-out test run), so it
 * can never grow a log without end.
 */
const writerSource = (logDir: string): string => `
import { PartitionLog } from ${JSON.stringify(join(repo, 'pipeline/broker/log/partition-log.ts'))};
import { buildValuesBatch } from ${JSON.stringify(join(repo, 'tests/helpers/record-batches.ts'))};
const log = PartitionLog.open(${JSON.stringify(logDir)}, { segmentBytes: 64 * 1024 });
const parent = process.ppid;
for (let i = 0; i < ${WRITER_MAX_APPENDS}; i++) {
  if (i % 1000 === 0 && process.ppid !== parent) process.exit(3);
  const r = log.append(buildValuesBatch('v' + i, 5));
  if (!r.ok) throw new Error(r.message);
  process.stdout.write(r.baseOffset + '\\n');
}
`;

let dir: { path: string; remove: () => Promise<void> };

beforeEach(async () => {
  dir = await tempDir('clickpulse-crash-');
});

afterEach(async () => {
  await dir.remove();
});

describe('PartitionLog under SIGKILL', () => {
  it('loses nothing that was acknowledged when the process is killed mid-write', async () => {
    const logDir = join(dir.path, 'topic-0');
    const script = join(dir.path, 'writer.ts');
    writeFileSync(script, writerSource(logDir));
    const writer = startChild(process.execPath, ['--import', 'tsx', script], { cwd: repo });
    const child = writer.child;
    let lastAcked = -1;
    await new Promise<void>((done, fail) => {
      let buffered = '';
      child.stdout?.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) lastAcked = Number(line);
        if (lastAcked >= 20_000 && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', () =>
        lastAcked >= 0 ? done() : fail(new Error(`writer failed: ${writer.stderr()}`)),
      );
    });
    expect(lastAcked).toBeGreaterThanOrEqual(20_000);

    const log = PartitionLog.open(logDir, { segmentBytes: 64 * 1024 });
    try {
      expect(log.logEndOffset).toBeGreaterThanOrEqual(lastAcked + 5);
      expect(log.segmentCount).toBeGreaterThan(3);
      let next = 0;
      while (next < log.logEndOffset) {
        const records = decodeRecords(log.read(next, 1 << 20));
        for (const r of records) expect(r.offset).toBe(next++);
      }
      const end = log.logEndOffset;
      expect(log.append(Buffer.from(log.read(0, 1)))).toMatchObject({ ok: true, baseOffset: end });
    } finally {
      log.close();
    }
  }, 180_000); // a child process under tsx: slow to start when every core is busy
});
