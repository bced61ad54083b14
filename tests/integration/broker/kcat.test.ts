import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../helpers/broker';
import { run } from '../../helpers/exec';

// kcat is Debian's build on librdkafka 2.0.2 (.ci/run installs it).
let t: TestBroker & { remove: () => Promise<void> };
beforeAll(async () => {
  t = await startTestBroker();
});
afterAll(async () => t.remove());

const kcat = (args: string[], input?: string) => run('kcat', ['-b', t.bootstrap, ...args], { input });

describe('the embedded broker with kcat (librdkafka 2.0.2)', () => {
  it('lists metadata with -L', async () => {
    const { code, stdout } = await kcat(['-L']);
    expect(code).toBe(0);
    expect(stdout).toContain(`broker 0 at 127.0.0.1:${t.port} (controller)`);
  });

  it('produces keyed messages with -P -K: and consumes them back with -C -e', async () => {
    const lines = Array.from({ length: 500 }, (_, i) => `user-${i % 7}:{"n":${i}}`);
    const produced = await kcat(['-P', '-t', 'kc', '-K:'], `${lines.join('\n')}\n`);
    expect(produced.code, produced.stderr).toBe(0);
    const consumed = await kcat(['-C', '-t', 'kc', '-e', '-f', '%k:%s\n']);
    expect(consumed.code, consumed.stderr).toBe(0);
    expect(consumed.stdout.trim().split('\n')).toEqual(lines);
    const meta = await kcat(['-L', '-t', 'kc']);
    expect(meta.stdout).toContain('topic "kc" with 1 partitions');
  });

  it('consumes in a consumer group with -G, commits, and resumes after the committed offset', async () => {
    await kcat(['-P', '-t', 'kg', '-K:'], 'a:1\nb:2\nc:3\n');
    const group = (args: string[] = []) =>
      kcat([
        '-G',
        'kcat-group',
        '-X',
        'auto.offset.reset=earliest',
        '-e',
        '-f',
        '%s\n',
        '-X',
        'session.timeout.ms=6000',
        ...args,
        'kg',
      ]);
    const first = await group();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim().split('\n')).toEqual(['1', '2', '3']);
    await kcat(['-P', '-t', 'kg', '-K:'], 'd:4\n');
    const second = await group();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.trim().split('\n')).toEqual(['4']);
    const g = t.broker.groups().find((x) => x.groupId === 'kcat-group');
    expect(g?.offsets).toEqual([{ topic: 'kg', partition: 0, committedOffset: 4, logEndOffset: 4, lag: 0 }]);
  });

  it('works with the flexible versions librdkafka now picks: idempotent produce, group commits, offsets by time', async () => {
    const sentVersions = (stderr: string) =>
      new Set([...stderr.matchAll(/Sent (\w+)Request \(v(\d+)/g)].map((m) => `${m[1]} v${m[2]}`));
    const produced = await kcat(
      ['-P', '-t', 'kflex', '-X', 'enable.idempotence=true', '-d', 'protocol'],
      'x\ny\nz\n',
    );
    expect(produced.code, produced.stderr).toBe(0);
    // InitProducerId v4 is flexible (from v2).
    expect(sentVersions(produced.stderr)).toContain('InitProducerId v4');
    const consumed = await kcat([
      '-G',
      'kflex-group',
      '-X',
      'auto.offset.reset=earliest',
      '-X',
      'session.timeout.ms=6000',
      '-e',
      '-f',
      '%s\n',
      '-d',
      'protocol',
      'kflex',
    ]);
    expect(consumed.code, consumed.stderr).toBe(0);
    expect(consumed.stdout.trim().split('\n')).toEqual(['x', 'y', 'z']);
    // OffsetFetch v7 is flexible (from v6): the group's committed offsets came back through it.
    expect(sentVersions(consumed.stderr)).toContain('OffsetFetch v7');
    const again = await kcat([
      '-G',
      'kflex-group',
      '-X',
      'session.timeout.ms=6000',
      '-e',
      '-f',
      '%s\n',
      'kflex',
    ]);
    expect(again.stdout.trim()).toBe('');
    const byTime = await kcat(['-Q', '-t', `kflex:0:${Date.now() + 60_000}`]);
    expect(byTime.stdout).toContain('kflex [0] offset -1');
  });
});
