import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../helpers/broker';
import { run } from '../../helpers/exec';
import { repoRoot } from '../../helpers/workbench';

// Debian's python3-kafka (kafka-python 2.0.2): CreatePartitions, DeleteGroups, AlterConfigs v1.
let t: TestBroker & { remove: () => Promise<void> };
beforeAll(async () => {
  t = await startTestBroker();
});
afterAll(async () => t.remove());

describe('admin APIs through kafka-python 2.0.2', () => {
  it('adds partitions, deletes idle groups only, alters configs and refuses compaction with its reason', async () => {
    const script = join(repoRoot, 'tests', 'fixtures', 'kafka-python-admin.py');
    const { code, stdout, stderr } = await run('/usr/bin/python3', [script, t.bootstrap], {
      timeoutMs: 90_000,
    });
    expect(code, stderr).toBe(0);
    const r = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(r.grow).toEqual([['kpa', 0, null]]);
    expect(r.partitions).toBe(3);
    expect(r.shrink).toMatch(
      /error_code=37.*Topic currently has 3 partitions, which is higher than the requested 2/,
    );
    expect(r.busyGot).toBe(10);
    expect(r.deleteGroups).toEqual([
      ['kpa-idle', 'NoError'],
      ['kpa-busy', 'NonEmptyGroupError'],
      ['kpa-never', 'GroupIdNotFoundError'],
    ]);
    expect(r.deleteBusyAfterClose).toEqual([['kpa-busy', 'NoError']]);
    expect(r.groupsLeft).toEqual([]);
    expect(r.alter).toEqual([[0, null, 2, 'kpa']]);
    expect(r.alterCompact).toEqual([
      [40, 'Configuration cleanup.policy can only be delete on this broker', 2, 'kpa'],
    ]);
    expect(r.configs).toMatchObject({ 'retention.ms': '3600000', 'cleanup.policy': 'delete' });
    expect(r.cluster).toMatchObject({
      controller_id: 0,
      brokers: [{ node_id: 0, host: '127.0.0.1', port: t.port }],
    });
    // What the script did is on the broker's disk.
    expect(t.broker.topics().find((x) => x.name === 'kpa')).toMatchObject({
      partitions: [{}, {}, { logEndOffset: 10 }],
      settings: { 'retention.ms': '3600000' },
    });
  }, 120_000);
});
