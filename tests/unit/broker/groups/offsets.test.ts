import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../helpers/temp';
import { ErrorCode } from '../../../../pipeline/broker/error-codes';
import { GroupCoordinator } from '../../../../pipeline/broker/groups/coordinator';
import type { CommitRequest } from '../../../../pipeline/broker/groups/types';

function simpleCommit(
  groupId: string,
  topic: string,
  partitions: { partitionIndex: number; committedOffset: number; metadata?: string | null }[],
): CommitRequest {
  return {
    groupId,
    generationId: -1,
    memberId: '',
    topics: [{ name: topic, partitions: partitions.map((p) => ({ metadata: null, ...p })) }],
  };
}

describe('GroupCoordinator committed offsets', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let coordinator: GroupCoordinator;
  const reopen = (): GroupCoordinator => {
    coordinator.close();
    coordinator = GroupCoordinator.open(dir.path, { minSessionTimeoutMs: 10, initialRebalanceDelayMs: 0 });
    return coordinator;
  };

  beforeEach(async () => {
    dir = await tempDir('clickpulse-offsets-');
    coordinator = GroupCoordinator.open(dir.path, { minSessionTimeoutMs: 10, initialRebalanceDelayMs: 0 });
  });
  afterEach(async () => {
    coordinator.close();
    await dir.remove();
  });

  it('keeps committed offsets and metadata across a restart', async () => {
    const result = coordinator.commitOffsets(
      simpleCommit('g', 'clicks', [
        { partitionIndex: 0, committedOffset: 42, metadata: 'hello' },
        { partitionIndex: 1, committedOffset: 7 },
      ]),
    );
    expect(result).toEqual([
      {
        name: 'clicks',
        partitions: [
          { partitionIndex: 0, errorCode: 0 },
          { partitionIndex: 1, errorCode: 0 },
        ],
      },
    ]);
    coordinator.commitOffsets(simpleCommit('g', 'clicks', [{ partitionIndex: 0, committedOffset: 50 }]));
    coordinator.commitOffsets(
      simpleCommit('other', 'views', [{ partitionIndex: 3, committedOffset: 2 ** 40 }]),
    );

    reopen();
    expect(coordinator.fetchOffsets('g', null)).toEqual({
      errorCode: 0,
      topics: [
        {
          name: 'clicks',
          partitions: [
            { partitionIndex: 0, committedOffset: 50, metadata: '', errorCode: 0 },
            { partitionIndex: 1, committedOffset: 7, metadata: '', errorCode: 0 },
          ],
        },
      ],
    });
    expect(
      coordinator.fetchOffsets('other', [{ name: 'views', partitionIndexes: [3] }]).topics[0]?.partitions[0],
    ).toMatchObject({ committedOffset: 2 ** 40 });
    // Groups that only hold offsets are listed and described as Empty, as Kafka does.
    expect(coordinator.listGroups()).toEqual([
      { groupId: 'g', protocolType: '' },
      { groupId: 'other', protocolType: '' },
    ]);
    expect(coordinator.describeGroups(['g'])[0]?.groupState).toBe('Empty');
    expect(coordinator.snapshot()[0]).toMatchObject({
      groupId: 'g',
      state: 'Empty',
      members: [],
      offsets: [
        { topic: 'clicks', partition: 0, offset: 50, metadata: '' },
        { topic: 'clicks', partition: 1, offset: 7, metadata: '' },
      ],
    });
    // Compaction on open left one line per live offset.
    const lines = (await readFile(join(dir.path, 'offsets.log'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(3);
  });

  it('ignores a torn last line left by a crash', async () => {
    coordinator.commitOffsets(simpleCommit('g', 'clicks', [{ partitionIndex: 0, committedOffset: 10 }]));
    coordinator.close();
    await appendFile(join(dir.path, 'offsets.log'), '{"g":"g","t":"clicks","p":0,"o":99');
    coordinator = GroupCoordinator.open(dir.path, { minSessionTimeoutMs: 10, initialRebalanceDelayMs: 0 });
    const committed = (): number | undefined =>
      coordinator.fetchOffsets('g', [{ name: 'clicks', partitionIndexes: [0] }]).topics[0]?.partitions[0]
        ?.committedOffset;
    expect(committed()).toBe(10);
    // Appends after recovery are not glued onto the torn fragment.
    coordinator.commitOffsets(simpleCommit('g', 'clicks', [{ partitionIndex: 0, committedOffset: 11 }]));
    reopen();
    expect(committed()).toBe(11);
  });

  it('forgets a deleted topic for every group, durably', () => {
    coordinator.commitOffsets(simpleCommit('g', 'clicks', [{ partitionIndex: 0, committedOffset: 1 }]));
    coordinator.commitOffsets(simpleCommit('h', 'clicks', [{ partitionIndex: 0, committedOffset: 2 }]));
    coordinator.commitOffsets(simpleCommit('h', 'views', [{ partitionIndex: 0, committedOffset: 3 }]));
    coordinator.deleteTopicOffsets('clicks');
    reopen();
    expect(coordinator.fetchOffsets('g', null).topics).toEqual([]);
    expect(coordinator.fetchOffsets('h', null).topics.map((t) => t.name)).toEqual(['views']);
    expect(coordinator.listGroups().map((g) => g.groupId)).toEqual(['h']);
  });

  it('refuses oversized metadata and unsafe offsets per partition, keeping the rest', () => {
    const result = coordinator.commitOffsets(
      simpleCommit('g', 'clicks', [
        { partitionIndex: 0, committedOffset: 1, metadata: 'x'.repeat(4097) },
        { partitionIndex: 1, committedOffset: 2 ** 53 },
        { partitionIndex: 2, committedOffset: 3, metadata: 'x'.repeat(4096) },
      ]),
    );
    expect(result[0]?.partitions.map((p) => p.errorCode)).toEqual([
      ErrorCode.OFFSET_METADATA_TOO_LARGE,
      ErrorCode.INVALID_REQUEST,
      ErrorCode.NONE,
    ]);
    expect(coordinator.fetchOffsets('g', null).topics[0]?.partitions.map((p) => p.partitionIndex)).toEqual([
      2,
    ]);
    expect(coordinator.fetchOffsets('', null).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
  });

  it('lets members of the current generation commit, also while a rebalance is being prepared', async () => {
    const a = await coordinator.join({
      groupId: 'g',
      memberId: '',
      clientId: 'a',
      clientHost: '/127.0.0.1',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
    });
    await coordinator.sync({ groupId: 'g', generationId: 1, memberId: a.memberId, assignments: [] });
    const commit = (): number | undefined =>
      coordinator.commitOffsets({
        groupId: 'g',
        generationId: 1,
        memberId: a.memberId,
        topics: [{ name: 'clicks', partitions: [{ partitionIndex: 0, committedOffset: 8, metadata: 'm' }] }],
      })[0]?.partitions[0]?.errorCode;
    expect(commit()).toBe(ErrorCode.NONE);
    // A newcomer starts a rebalance; a's commit of what it processed before revoking still counts.
    void coordinator.join({
      groupId: 'g',
      memberId: '',
      clientId: 'b',
      clientHost: '/127.0.0.1',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
    });
    expect(coordinator.describeGroups(['g'])[0]?.groupState).toBe('PreparingRebalance');
    expect(commit()).toBe(ErrorCode.NONE);
    reopen();
    expect(coordinator.fetchOffsets('g', null).topics[0]?.partitions[0]).toEqual({
      partitionIndex: 0,
      committedOffset: 8,
      metadata: 'm',
      errorCode: 0,
    });
  });
});
