import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../helpers/broker';
import { run } from '../../helpers/exec';
import { repoRoot } from '../../helpers/workbench';

// Debian's python3-kafka (kafka-python 2.0.2); /usr/bin/python3 because other pythons lack the package.
let t: TestBroker & { remove: () => Promise<void> };
beforeAll(async () => {
  t = await startTestBroker();
});
afterAll(async () => t.remove());

describe('the embedded broker with kafka-python 2.0.2', () => {
  it('creates a topic, produces, and consumes in a 2-member group with manual commits', async () => {
    const script = join(repoRoot, 'tests', 'fixtures', 'kafka-python-client.py');
    const { code, stdout, stderr } = await run('/usr/bin/python3', [script, t.bootstrap], {
      timeoutMs: 90_000,
    });
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(result).toMatchObject({
      created: true,
      acked: 3000,
      distinct: 3000,
      duplicates: 0,
      committed: 3000,
      ends: 3000,
    });
    const assignments = result.assignments as Record<string, number[]>;
    expect([...(assignments.m1 ?? []), ...(assignments.m2 ?? [])].sort()).toEqual([0, 1, 2]);
    expect(assignments.m1?.length).toBeGreaterThan(0);
    expect(assignments.m2?.length).toBeGreaterThan(0);
  }, 120_000);
});
