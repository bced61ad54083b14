import { Kafka, logLevel } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiVersions } from '../../../pipeline/broker/protocol/messages/api-versions';
import { AlterConfigs } from '../../../pipeline/broker/protocol/messages/alter-configs';
import { CreatePartitions } from '../../../pipeline/broker/protocol/messages/create-partitions';
import { DeleteGroups } from '../../../pipeline/broker/protocol/messages/delete-groups';
import { DeleteRecords } from '../../../pipeline/broker/protocol/messages/delete-records';
import { DescribeCluster } from '../../../pipeline/broker/protocol/messages/describe-cluster';
import { DescribeConfigs } from '../../../pipeline/broker/protocol/messages/describe-configs';
import { IncrementalAlterConfigs } from '../../../pipeline/broker/protocol/messages/incremental-alter-configs';
import { ListOffsets } from '../../../pipeline/broker/protocol/messages/list-offsets';
import { startTestBroker, type TestBroker } from '../../helpers/broker';
import { kafkaCall } from '../../helpers/kafka-call';
import { RawKafka } from '../../helpers/raw-kafka';

// The flexible versions (compact strings and arrays, tagged fields, header v2/v1) that Kafka 3.9 serves and
// no client on this machine sends, byte for byte over a socket; the older versions are covered by the real
// clients in admin-kafkajs.test.ts and admin-kafka-python.test.ts.
let t: TestBroker & { remove: () => Promise<void> };
let raw: RawKafka;
beforeAll(async () => {
  t = await startTestBroker({ segmentBytes: 512 });
  const kafka = new Kafka({ clientId: 'flex', brokers: [t.bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'flex', numPartitions: 1 }] });
  await admin.setOffsets({
    groupId: 'flex-idle',
    topic: 'flex',
    partitions: [{ partition: 0, offset: '0' }],
  });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  for (let b = 0; b < 10; b++)
    await producer.send({ topic: 'flex', messages: [{ value: `a${b}` }, { value: `b${b}` }] });
  await producer.disconnect();
});
afterAll(async () => t.remove());
afterEach(() => raw?.close());

const open = async () => (raw = await RawKafka.open(t.port));
const TOPIC = 2;
const BROKER = 4;

async function topicConfigs(): Promise<Record<string, string | null>> {
  const res = await kafkaCall(raw, DescribeConfigs, 1, {
    resources: [{ resourceType: TOPIC, resourceName: 'flex', configurationKeys: null }],
    includeSynonyms: false,
    includeDocumentation: false,
  });
  return Object.fromEntries(res.results[0]?.configs.map((c) => [c.name, c.value]) ?? []);
}

describe('admin APIs at their flexible versions', () => {
  it('advertises each at the versions Kafka 3.9 serves', async () => {
    await open();
    const res = await kafkaCall(raw, ApiVersions, 3, {
      clientSoftwareName: 'raw',
      clientSoftwareVersion: '1',
    });
    const range = (key: number) => res.apiKeys.find((k) => k.apiKey === key);
    expect(range(37)).toMatchObject({ minVersion: 0, maxVersion: 3 });
    expect(range(21)).toMatchObject({ minVersion: 0, maxVersion: 2 });
    expect(range(42)).toMatchObject({ minVersion: 0, maxVersion: 2 });
    expect(range(33)).toMatchObject({ minVersion: 0, maxVersion: 2 });
    expect(range(44)).toMatchObject({ minVersion: 0, maxVersion: 1 });
    expect(range(60)).toMatchObject({ minVersion: 0, maxVersion: 1 });
  });

  it('CreatePartitions v3 adds partitions, validateOnly changes nothing, wrong assignments are refused', async () => {
    await open();
    const ask = (count: number, validateOnly = false, assignments: { brokerIds: number[] }[] | null = null) =>
      kafkaCall(raw, CreatePartitions, 3, {
        topics: [{ name: 'flex', count, assignments }],
        timeoutMs: 1000,
        validateOnly,
      });
    expect((await ask(4, true)).results[0]).toMatchObject({ errorCode: 0, errorMessage: null });
    expect(t.broker.topics().find((x) => x.name === 'flex')?.partitions).toHaveLength(1);
    expect((await ask(3, false, [{ brokerIds: [0] }])).results[0]).toMatchObject({ errorCode: 42 });
    expect((await ask(3, false, [{ brokerIds: [1] }, { brokerIds: [0] }])).results[0]).toMatchObject({
      errorCode: 38,
      errorMessage: expect.stringMatching(/single-node broker is broker 0/),
    });
    expect((await ask(1001)).results[0]).toMatchObject({ errorCode: 37 });
    expect((await ask(3, false, [{ brokerIds: [0] }, { brokerIds: [0] }])).results[0]).toMatchObject({
      errorCode: 0,
    });
    expect(t.broker.topics().find((x) => x.name === 'flex')?.partitions).toHaveLength(3);
  });

  it('DeleteRecords v2 moves the start, which ListOffsets earliest then reports', async () => {
    await open();
    const del = (offset: number, partitionIndex = 0) =>
      kafkaCall(raw, DeleteRecords, 2, {
        topics: [{ name: 'flex', partitions: [{ partitionIndex, offset }] }],
        timeoutMs: 1000,
      });
    expect((await del(7)).topics[0]?.partitions[0]).toEqual({
      partitionIndex: 0,
      lowWatermark: 7,
      errorCode: 0,
    });
    // Lower than the start: nothing changes, the current start is the answer.
    expect((await del(3)).topics[0]?.partitions[0]).toEqual({
      partitionIndex: 0,
      lowWatermark: 7,
      errorCode: 0,
    });
    expect((await del(21)).topics[0]?.partitions[0]).toMatchObject({ lowWatermark: -1, errorCode: 1 });
    expect((await del(5, 9)).topics[0]?.partitions[0]).toMatchObject({ errorCode: 3 });
    const earliest = await kafkaCall(raw, ListOffsets, 1, {
      ...ListOffsets.request.zero,
      replicaId: -1,
      topics: [
        {
          name: 'flex',
          partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -2, maxNumOffsets: 1 }],
        },
      ],
    });
    expect(earliest.topics[0]?.partitions[0]).toMatchObject({ errorCode: 0, offset: 7 });
    // By time: the earliest timestamp would be offset 0, which is gone: the answer is the start.
    const byTime = await kafkaCall(raw, ListOffsets, 1, {
      ...ListOffsets.request.zero,
      replicaId: -1,
      topics: [
        {
          name: 'flex',
          partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: 0, maxNumOffsets: 1 }],
        },
      ],
    });
    expect(byTime.topics[0]?.partitions[0]).toMatchObject({ errorCode: 0, offset: 7 });
  });

  it('IncrementalAlterConfigs v1 sets and deletes overrides and says why it refuses', async () => {
    await open();
    const alter = (
      configs: { name: string; configOperation: number; value: string | null }[],
      resourceType = TOPIC,
      validateOnly = false,
    ) =>
      kafkaCall(raw, IncrementalAlterConfigs, 1, {
        resources: [{ resourceType, resourceName: resourceType === TOPIC ? 'flex' : '0', configs }],
        validateOnly,
      });
    const ok = await alter([
      { name: 'retention.ms', configOperation: 0, value: '172800000' },
      { name: 'segment.bytes', configOperation: 0, value: String(2 * 1024 * 1024) },
      { name: 'cleanup.policy', configOperation: 2, value: 'delete' },
    ]);
    expect(ok.responses[0]).toEqual({
      errorCode: 0,
      errorMessage: null,
      resourceType: TOPIC,
      resourceName: 'flex',
    });
    expect(await topicConfigs()).toMatchObject({ 'retention.ms': '172800000', 'segment.bytes': '2097152' });
    expect(
      (await alter([{ name: 'retention.ms', configOperation: 1, value: null }])).responses[0]?.errorCode,
    ).toBe(0);
    expect(await topicConfigs()).toMatchObject({ 'retention.ms': '604800000', 'segment.bytes': '2097152' });

    const refusals: [Parameters<typeof alter>[0], RegExp][] = [
      [
        [{ name: 'cleanup.policy', configOperation: 0, value: 'compact' }],
        /cleanup.policy can only be delete on this broker/,
      ],
      [
        [{ name: 'cleanup.policy', configOperation: 2, value: 'compact' }],
        /cleanup.policy can only be delete/,
      ],
      [[{ name: 'retention.ms', configOperation: 2, value: '5' }], /APPEND is only for list-valued configs/],
      [
        [{ name: 'retention.bytes', configOperation: 0, value: '-7' }],
        /Invalid value -7 for configuration retention.bytes/,
      ],
      [
        [{ name: 'segment.bytes', configOperation: 0, value: '100' }],
        /segment.bytes: must be an integer from 1048576/,
      ],
      [
        [{ name: 'segment.ms', configOperation: 0, value: '' }],
        /Invalid value {2}for configuration segment.ms/,
      ],
      [[{ name: 'flush.ms', configOperation: 0, value: '5' }], /Unknown topic config name: flush.ms/],
      [[{ name: 'retention.ms', configOperation: 9, value: '5' }], /Unknown config operation 9/],
    ];
    for (const [configs, why] of refusals) {
      const res = (await alter(configs)).responses[0];
      expect(res?.errorCode, JSON.stringify(configs)).toBe(40);
      expect(res?.errorMessage).toMatch(why);
    }
    expect(
      (await alter([{ name: 'retention.ms', configOperation: 0, value: '1' }], TOPIC, true)).responses[0]
        ?.errorCode,
    ).toBe(0);
    const broker = (await alter([{ name: 'log.retention.ms', configOperation: 0, value: '1' }], BROKER))
      .responses[0];
    expect(broker).toMatchObject({
      errorCode: 42,
      errorMessage: expect.stringMatching(/set when it starts/),
    });
    const missing = await kafkaCall(raw, IncrementalAlterConfigs, 0, {
      resources: [
        {
          resourceType: TOPIC,
          resourceName: 'nope',
          configs: [{ name: 'retention.ms', configOperation: 0, value: '1' }],
        },
      ],
      validateOnly: false,
    });
    expect(missing.responses[0]?.errorCode).toBe(3);
    // Neither the refusals nor validateOnly changed anything.
    expect(await topicConfigs()).toMatchObject({
      'retention.ms': '604800000',
      'segment.bytes': '2097152',
      'cleanup.policy': 'delete',
    });
  });

  it('AlterConfigs v2 replaces the overrides', async () => {
    await open();
    const res = await kafkaCall(raw, AlterConfigs, 2, {
      resources: [
        {
          resourceType: TOPIC,
          resourceName: 'flex',
          configs: [{ name: 'retention.bytes', value: '5000000' }],
        },
      ],
      validateOnly: false,
    });
    expect(res.responses[0]?.errorCode).toBe(0);
    expect(await topicConfigs()).toMatchObject({
      'retention.bytes': '5000000',
      'segment.bytes': String(512),
    });
  });

  it('DeleteGroups v2 deletes an idle group and refuses an unknown one', async () => {
    await open();
    const res = await kafkaCall(raw, DeleteGroups, 2, { groupsNames: ['flex-idle', 'flex-idle', ''] });
    expect(res.results).toEqual([
      { groupId: 'flex-idle', errorCode: 0 },
      { groupId: 'flex-idle', errorCode: 69 },
      { groupId: '', errorCode: 24 },
    ]);
  });

  it('DescribeCluster v0 and v1 describe this node; controllers are not an endpoint here', async () => {
    await open();
    const v0 = await kafkaCall(raw, DescribeCluster, 0, {
      includeClusterAuthorizedOperations: false,
      endpointType: 1,
    });
    expect(v0).toMatchObject({
      errorCode: 0,
      controllerId: 0,
      clusterId: expect.stringMatching(/^[\w-]{22}$/),
      brokers: [{ brokerId: 0, host: '127.0.0.1', port: t.port, rack: null }],
    });
    const v1 = await kafkaCall(raw, DescribeCluster, 1, {
      includeClusterAuthorizedOperations: true,
      endpointType: 1,
    });
    expect(v1).toMatchObject({ errorCode: 0, endpointType: 1, clusterId: v0.clusterId });
    const controllers = await kafkaCall(raw, DescribeCluster, 1, {
      includeClusterAuthorizedOperations: false,
      endpointType: 2,
    });
    expect(controllers).toMatchObject({ errorCode: 114, brokers: [] });
  });
});
