import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { endAllChildren, liveChildren, runChild, startChild, startWorker } from '../../helpers/children';
import { repoRoot } from '../../helpers/repo-root';

/** Running, or at least not yet dead: a killed orphan may stay a zombie until its new parent reaps it. */
const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX]/.test(stat);
  } catch {
    return false;
  }
};

/** A shell that starts a grandchild ignoring SIGTERM and prints both pids, then waits. */
const stubbornTree = () => startChild('/bin/sh', ['-c', `trap '' TERM; sleep 300 & echo "$$ $!"; wait`]);

describe('tests/helpers/children', () => {
  let fromPreviousTest: number[] = [];

  it('starts a process tree (left running on purpose: the next test checks the afterEach cleanup)', async () => {
    const tree = stubbornTree();
    fromPreviousTest = (await tree.line()).split(' ').map(Number);
    expect(fromPreviousTest.every(alive)).toBe(true);
  });

  it('ended the whole tree of the previous test, grandchild included, with SIGKILL after the grace period', async () => {
    expect(fromPreviousTest).toHaveLength(2);
    await expect.poll(() => fromPreviousTest.filter(alive), { timeout: 10_000 }).toEqual([]);
    expect(liveChildren()).toBe(0);
  });

  it('stop() escalates to SIGKILL when SIGTERM is ignored, and reports the signal', async () => {
    const tree = stubbornTree();
    const pids = (await tree.line()).split(' ').map(Number);
    const exit = await tree.stop('SIGTERM', 200);
    expect(exit.signal).toBe('SIGKILL');
    // A killed grandchild is gone once the kernel has run its SIGKILL: moments later on a busy machine.
    await expect.poll(() => pids.filter(alive), { timeout: 10_000 }).toEqual([]);
  });

  it('runChild answers with the exit code when the child exits without reading its input (EPIPE)', async () => {
    // More than a pipe holds, so the write is still going when `true` has exited.
    const done = await runChild('true', [], { input: 'x'.repeat(4 << 20) });
    expect(done.code).toBe(0);
  });

  it('terminates registered worker threads', async () => {
    const worker = startWorker('setInterval(() => {}, 1000)', { eval: true });
    await new Promise((r) => worker.once('online', r));
    const exited = new Promise<number>((r) => worker.once('exit', r));
    await endAllChildren('test');
    expect(await exited).toBe(1);
    expect(liveChildren()).toBe(0);
  });
});

describe('every test starts its children through tests/helpers/children', () => {
  it('no test file spawns a process or a worker thread of its own', async () => {
    const root = join(repoRoot, 'tests');
    const files = (await readdir(root, { recursive: true }))
      .map(String)
      .filter((f) => f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.filter((f) => {
      const text = readFileSync(join(root, f), 'utf8');
      // Type-only imports are fine; a value import (spawn, fork, exec…) or a bare Worker is not.
      return /^import (?!type )[^;]*from 'node:child_process'/m.test(text) || /new Worker\(/.test(text);
    });
    expect(offenders).toEqual([]);
  });
});
