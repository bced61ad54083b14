import { afterEach, describe, expect, it } from 'vitest';
import { ensureTopics, kafkaClient } from '../../../pipeline/kafka';
import { LeanProducer } from '../../../pipeline/kafka/lean-producer';
import { Lineage } from '../../../pipeline/kafka/record-batch-builder';
import { startTestBroker, type TestBroker } from '../../helpers/broker';
import { run } from '../../helpers/exec';

let t: (TestBroker & { remove: () => Promise<void> }) | null = null;
let producer: LeanProducer | null = null;
afterEach(async () => {
  producer?.close();
  producer = null;
  await t?.remove();
  t = null;
});

describe('the lean producer across a broker restart', () => {
  it('resends what was in flight with the same sequences: every record lands exactly once', async () => {
    t = await startTestBroker();
    const target = { bootstrap: t.bootstrap };
    await ensureTopics(kafkaClient(target, 'test'), [{ topic: 'retry', partitions: 2 }]);
    producer = await LeanProducer.open(target, ['retry'], { batchBytes: 16 * 1024 });
    const lineage = new Lineage('retry-test');
    const acks: Promise<void>[] = [];
    const TOTAL = 20_000;
    for (let row = 1; row <= TOTAL; row++) {
      producer.appendWithLineage('retry', `user-${row % 97}`, JSON.stringify({ row }), lineage, row);
      if (producer.full) acks.push(producer.flush());
      // Mid-stream, the broker goes away and comes back on the same port and data: requests in flight
      // then fail (or their answers are lost) and are sent again.
      if (row === TOTAL / 2) await t.restart();
    }
    acks.push(producer.flush());
    await Promise.all(acks);

    const out = await run('kcat', ['-C', '-b', t.bootstrap, '-t', 'retry', '-e', '-q', '-f', '%h\\n']);
    expect(out.code, out.stderr).toBe(0);
    const rows = out.stdout
      .trim()
      .split('\n')
      .map((h) => Number(/clickpulse\.row=(\d+)/.exec(h)?.[1]));
    expect(rows).toHaveLength(TOTAL);
    expect(new Set(rows).size).toBe(TOTAL);
  }, 60_000);
});
