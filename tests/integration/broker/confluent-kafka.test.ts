import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../helpers/broker';
import { run } from '../../helpers/exec';
import { repoRoot } from '../../helpers/workbench';

// Debian's python3-confluent-kafka (librdkafka 2.0.2 underneath, which now picks flexible versions
// such as OffsetFetch v7, ListGroups v4 and InitProducerId v4), run with /usr/bin/python3.
let t: TestBroker & { remove: () => Promise<void> };
beforeAll(async () => {
  t = await startTestBroker();
});
afterAll(async () => t.remove());

async function runScript(name: string): Promise<Record<string, unknown>> {
  const { code, stdout, stderr } = await run(
    '/usr/bin/python3',
    [join(repoRoot, 'tests', 'fixtures', name), t.bootstrap],
    {
      timeoutMs: 90_000,
    },
  );
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
}

describe('the embedded broker with confluent-kafka-python', () => {
  it('administers topics, produces idempotently and consumes in a 2-member group that commits', async () => {
    const result = await runScript('confluent-kafka-client.py');
    expect(result).toMatchObject({
      listed: true,
      partitions: 3,
      default_replication_factor: '1',
      retention_ms: String(7 * 24 * 3600 * 1000),
      acked: 3000,
      distinct: 3000,
      committed: 3000,
      deleted: true,
    });
    expect(result.retention_synonyms).toEqual(['log.retention.ms']);
    expect(result.both_assigned).toBe(true);
    expect((result.per_member as number[]).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(3000);
  }, 120_000);
});

describe('DescribeConfigs with kafka-python 2.0.2', () => {
  it('answers the requested keys in the requested order, with broker defaults and synonyms', async () => {
    const result = (await runScript('kafka-python-describe-configs.py')) as Record<
      string,
      { error: number; entries: { name: string; value: string; source: number; synonyms: unknown[] }[] }
    >;
    expect(result.broker?.error).toBe(0);
    expect(result.broker?.entries.map((e) => [e.name, e.value])).toEqual([
      ['min.insync.replicas', '1'],
      ['default.replication.factor', '1'],
      ['log.retention.ms', String(7 * 24 * 3600 * 1000)],
      ['num.partitions', '1'],
    ]);
    expect(result.broker?.entries[1]?.synonyms).toEqual([['default.replication.factor', '1', 5]]);
    const topic = result.topic?.entries ?? [];
    expect(topic.map((e) => e.name)).toEqual(['segment.bytes', 'retention.ms']);
    // An override comes first among its synonyms, then the broker setting it replaces.
    expect(topic[1]).toEqual({
      name: 'retention.ms',
      value: '3600000',
      source: 1,
      synonyms: [
        ['retention.ms', '3600000', 1],
        ['log.retention.ms', String(7 * 24 * 3600 * 1000), 5],
      ],
    });
  }, 120_000);
});
