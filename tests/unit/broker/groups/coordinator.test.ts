import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../helpers/temp';
import { ErrorCode } from '../../../../pipeline/broker/error-codes';
import { GroupCoordinator } from '../../../../pipeline/broker/groups/coordinator';
import { encodeAssignment, encodeSubscription } from '../../../../pipeline/broker/groups/consumer-protocol';
import type { JoinRequest, JoinResponse } from '../../../../pipeline/broker/groups/types';

function joinRequest(overrides: Partial<JoinRequest> & { protocolNames?: string[] } = {}): JoinRequest {
  const { protocolNames = ['range'], ...rest } = overrides;
  return {
    groupId: 'g',
    memberId: '',
    clientId: 'client',
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 10_000,
    protocolType: 'consumer',
    protocols: protocolNames.map((name) => ({
      name,
      metadata: encodeSubscription({ topics: [`t-${name}`] }),
    })),
    ...rest,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function assignmentOf(...partitions: number[]): Buffer {
  return encodeAssignment({ assignedPartitions: [{ topic: 'clicks', partitions }] });
}

describe('GroupCoordinator membership and rebalancing', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let coordinator: GroupCoordinator;

  beforeEach(async () => {
    dir = await tempDir('clickpulse-groups-');
    coordinator = GroupCoordinator.open(dir.path, { minSessionTimeoutMs: 10, initialRebalanceDelayMs: 30 });
  });
  afterEach(async () => {
    coordinator.close();
    await dir.remove();
  });

  /** Two members started together, synced, Stable. */
  async function stableGroupOfTwo(
    sessionTimeoutMs = 10_000,
    rebalanceTimeoutMs = 10_000,
  ): Promise<{ a: JoinResponse; b: JoinResponse }> {
    const [a, b] = await Promise.all([
      coordinator.join(joinRequest({ clientId: 'a', sessionTimeoutMs, rebalanceTimeoutMs })),
      coordinator.join(joinRequest({ clientId: 'b', sessionTimeoutMs, rebalanceTimeoutMs })),
    ]);
    const follower = coordinator.sync({
      groupId: 'g',
      generationId: b.generationId,
      memberId: b.memberId,
      assignments: [],
    });
    await coordinator.sync({
      groupId: 'g',
      generationId: a.generationId,
      memberId: a.memberId,
      assignments: [
        { memberId: a.memberId, assignment: assignmentOf(0) },
        { memberId: b.memberId, assignment: assignmentOf(1) },
      ],
    });
    await follower;
    return { a, b };
  }

  it('puts members that start together in one generation with one leader who sees everyone', async () => {
    const [a, b] = await Promise.all([
      coordinator.join(joinRequest({ clientId: 'a' })),
      coordinator.join(joinRequest({ clientId: 'b' })),
    ]);
    expect(a.errorCode).toBe(ErrorCode.NONE);
    expect(b.errorCode).toBe(ErrorCode.NONE);
    expect(a.memberId).toMatch(/^a-[0-9a-f-]{36}$/);
    expect(b.memberId).toMatch(/^b-/);
    expect(a.generationId).toBe(1);
    expect(b.generationId).toBe(1);
    expect(a.leader).toBe(a.memberId);
    expect(b.leader).toBe(a.memberId);
    expect(a.protocolName).toBe('range');
    expect(a.members.map((m) => m.memberId)).toEqual([a.memberId, b.memberId]);
    expect(a.members[1]?.metadata).toEqual(encodeSubscription({ topics: ['t-range'] }));
    expect(b.members).toEqual([]);
    expect(coordinator.describeGroups(['g'])[0]?.groupState).toBe('CompletingRebalance');
  });

  it('extends the initial rebalance delay for each newcomer so staggered starts share a generation', async () => {
    coordinator.close();
    coordinator = GroupCoordinator.open(dir.path, { minSessionTimeoutMs: 10, initialRebalanceDelayMs: 100 });
    const first = coordinator.join(joinRequest({ clientId: 'a' }));
    await sleep(60);
    const second = coordinator.join(joinRequest({ clientId: 'b' }));
    await sleep(60);
    // 120 ms after the first join: past its own delay, but within the one the second join extended.
    const third = coordinator.join(joinRequest({ clientId: 'c' }));
    const joined = await Promise.all([first, second, third]);
    expect(joined.map((r) => r.generationId)).toEqual([1, 1, 1]);
    expect(joined[0]?.members).toHaveLength(3);
  });

  it('answers held requests and stops its timers on close', async () => {
    const held = coordinator.join(joinRequest({ clientId: 'a', sessionTimeoutMs: 50 }));
    coordinator.close();
    expect((await held).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: 'x' })).toBe(
      ErrorCode.COORDINATOR_NOT_AVAILABLE,
    );
    expect(coordinator.listGroups()).toEqual([]);
  });

  it('holds followers in SyncGroup until the leader hands out assignments', async () => {
    const [a, b] = await Promise.all([
      coordinator.join(joinRequest({ clientId: 'a' })),
      coordinator.join(joinRequest({ clientId: 'b' })),
    ]);
    let followerDone = false;
    const follower = coordinator
      .sync({ groupId: 'g', generationId: 1, memberId: b.memberId, assignments: [] })
      .then((r) => ((followerDone = true), r));
    await sleep(10);
    expect(followerDone).toBe(false);
    const leader = await coordinator.sync({
      groupId: 'g',
      generationId: 1,
      memberId: a.memberId,
      assignments: [
        { memberId: a.memberId, assignment: assignmentOf(0) },
        { memberId: b.memberId, assignment: assignmentOf(1) },
      ],
    });
    expect(leader).toEqual({ errorCode: ErrorCode.NONE, assignment: assignmentOf(0) });
    expect(await follower).toEqual({ errorCode: ErrorCode.NONE, assignment: assignmentOf(1) });
    const [described] = coordinator.describeGroups(['g']);
    expect(described?.groupState).toBe('Stable');
    expect(described?.protocolData).toBe('range');
    expect(described?.members.map((m) => m.memberAssignment)).toEqual([assignmentOf(0), assignmentOf(1)]);
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: b.memberId })).toBe(
      ErrorCode.NONE,
    );

    const [snap] = coordinator.snapshot();
    expect(snap).toMatchObject({ groupId: 'g', state: 'Stable', generationId: 1, leader: a.memberId });
    expect(snap?.members.map((m) => m.assignedPartitions)).toEqual([
      [{ topic: 'clicks', partitions: [0] }],
      [{ topic: 'clicks', partitions: [1] }],
    ]);
  });

  it('rebalances when a third member joins: old members see REBALANCE_IN_PROGRESS and rejoin', async () => {
    const { a, b } = await stableGroupOfTwo();
    const c = coordinator.join(joinRequest({ clientId: 'c' }));
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId })).toBe(
      ErrorCode.REBALANCE_IN_PROGRESS,
    );
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: b.memberId })).toBe(
      ErrorCode.REBALANCE_IN_PROGRESS,
    );
    expect(coordinator.describeGroups(['g'])[0]?.groupState).toBe('PreparingRebalance');
    const [a2, b2, c2] = await Promise.all([
      coordinator.join(joinRequest({ clientId: 'a', memberId: a.memberId })),
      coordinator.join(joinRequest({ clientId: 'b', memberId: b.memberId })),
      c,
    ]);
    expect([a2.generationId, b2.generationId, c2.generationId]).toEqual([2, 2, 2]);
    expect(a2.leader).toBe(a.memberId);
    expect(a2.members).toHaveLength(3);
    expect(c2.members).toEqual([]);
    // A stale sync from the previous generation is refused.
    const stale = await coordinator.sync({
      groupId: 'g',
      generationId: 1,
      memberId: b.memberId,
      assignments: [],
    });
    expect(stale.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
  });

  it('rebalances when a member leaves, and empties the group when the last one leaves', async () => {
    const { a, b } = await stableGroupOfTwo();
    expect(coordinator.leave({ groupId: 'g', memberId: a.memberId })).toBe(ErrorCode.NONE);
    expect(coordinator.leave({ groupId: 'g', memberId: a.memberId })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: b.memberId })).toBe(
      ErrorCode.REBALANCE_IN_PROGRESS,
    );
    const b2 = await coordinator.join(joinRequest({ clientId: 'b', memberId: b.memberId }));
    expect(b2).toMatchObject({ errorCode: 0, generationId: 2, leader: b.memberId });
    expect(b2.members.map((m) => m.memberId)).toEqual([b.memberId]);

    expect(coordinator.leave({ groupId: 'g', memberId: b.memberId })).toBe(ErrorCode.NONE);
    const [described] = coordinator.describeGroups(['g']);
    expect(described?.groupState).toBe('Empty');
    expect(described?.members).toEqual([]);
  });

  it('removes a member that stops heartbeating and rebalances the rest', async () => {
    const { a, b } = await stableGroupOfTwo(150);
    // a keeps heartbeating, b goes silent.
    let code: number = ErrorCode.NONE;
    for (let i = 0; i < 10 && code === ErrorCode.NONE; i++) {
      await sleep(40);
      code = coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId });
    }
    expect(code).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: b.memberId })).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    const a2 = await coordinator.join(
      joinRequest({ clientId: 'a', memberId: a.memberId, sessionTimeoutMs: 150 }),
    );
    expect(a2.generationId).toBe(2);
    expect(a2.members.map((m) => m.memberId)).toEqual([a.memberId]);
  });

  it('drops members that do not rejoin within the rebalance timeout', async () => {
    const { a, b } = await stableGroupOfTwo(10_000, 100);
    const started = Date.now();
    // A changed subscription makes the leader rejoin; b (session 10 s) never does.
    const a2 = await coordinator.join(
      joinRequest({
        clientId: 'a',
        memberId: a.memberId,
        protocolNames: ['range', 'roundrobin'],
        rebalanceTimeoutMs: 100,
      }),
    );
    expect(a2.generationId).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(a2.members.map((m) => m.memberId)).toEqual([a.memberId]);
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 2, memberId: b.memberId })).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
  });

  it('fails a waiting follower sync with REBALANCE_IN_PROGRESS when the leader times out', async () => {
    const [a, b] = await Promise.all([
      coordinator.join(joinRequest({ clientId: 'a', sessionTimeoutMs: 80 })),
      coordinator.join(joinRequest({ clientId: 'b', sessionTimeoutMs: 80 })),
    ]);
    expect(a.leader).toBe(a.memberId);
    const follower = await coordinator.sync({
      groupId: 'g',
      generationId: 1,
      memberId: b.memberId,
      assignments: [],
    });
    expect(follower).toEqual({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
    const b2 = await coordinator.join(
      joinRequest({ clientId: 'b', memberId: b.memberId, sessionTimeoutMs: 80 }),
    );
    expect(b2).toMatchObject({ errorCode: 0, generationId: 2, leader: b.memberId });
  });

  it('chooses a protocol every member supports, by member preference votes', async () => {
    const [a, b] = await Promise.all([
      coordinator.join(joinRequest({ clientId: 'a', protocolNames: ['range', 'roundrobin'] })),
      coordinator.join(joinRequest({ clientId: 'b', protocolNames: ['roundrobin'] })),
    ]);
    expect(a.protocolName).toBe('roundrobin');
    expect(b.protocolName).toBe('roundrobin');
    expect(a.members[0]?.metadata).toEqual(encodeSubscription({ topics: ['t-roundrobin'] }));

    const other = await Promise.all([
      coordinator.join(joinRequest({ groupId: 'h', clientId: 'a', protocolNames: ['range', 'roundrobin'] })),
      coordinator.join(joinRequest({ groupId: 'h', clientId: 'b', protocolNames: ['roundrobin', 'range'] })),
      coordinator.join(joinRequest({ groupId: 'h', clientId: 'c', protocolNames: ['roundrobin', 'range'] })),
    ]);
    expect(other.map((r) => r.protocolName)).toEqual(['roundrobin', 'roundrobin', 'roundrobin']);
  });

  it('refuses a newcomer sharing no protocol with the group, or of another protocol type', async () => {
    await coordinator.join(joinRequest({ clientId: 'a', protocolNames: ['RoundRobinAssigner'] }));
    const odd = await coordinator.join(
      joinRequest({ clientId: 'b', protocolNames: ['range', 'roundrobin'] }),
    );
    expect(odd.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const connect = await coordinator.join(
      joinRequest({ clientId: 'c', protocolType: 'connect', protocolNames: ['RoundRobinAssigner'] }),
    );
    expect(connect.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const none = await coordinator.join(joinRequest({ groupId: 'empty', protocolNames: [] }));
    expect(none.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(coordinator.listGroups()).toEqual([{ groupId: 'g', protocolType: 'consumer' }]);
  });

  it('validates the session timeout and the member id', async () => {
    const boundedDir = await tempDir('clickpulse-groups-');
    const bounded = GroupCoordinator.open(boundedDir.path);
    try {
      expect((await bounded.join(joinRequest({ sessionTimeoutMs: 5_999 }))).errorCode).toBe(
        ErrorCode.INVALID_SESSION_TIMEOUT,
      );
      expect((await bounded.join(joinRequest({ sessionTimeoutMs: 300_001 }))).errorCode).toBe(
        ErrorCode.INVALID_SESSION_TIMEOUT,
      );
    } finally {
      bounded.close();
      await boundedDir.remove();
    }
    expect((await coordinator.join(joinRequest({ memberId: 'ghost' }))).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect((await coordinator.join(joinRequest({ groupId: '' }))).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
  });

  it('answers stale or unknown members with ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID', async () => {
    const { a } = await stableGroupOfTwo();
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 0, memberId: a.memberId })).toBe(
      ErrorCode.ILLEGAL_GENERATION,
    );
    expect(coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: 'ghost' })).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect(coordinator.heartbeat({ groupId: 'nope', generationId: 1, memberId: a.memberId })).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect(
      (await coordinator.sync({ groupId: 'g', generationId: 7, memberId: a.memberId, assignments: [] }))
        .errorCode,
    ).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(
      (await coordinator.sync({ groupId: 'g', generationId: 1, memberId: 'ghost', assignments: [] }))
        .errorCode,
    ).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    // Stable: a repeated sync returns the stored assignment.
    expect(
      await coordinator.sync({ groupId: 'g', generationId: 1, memberId: a.memberId, assignments: [] }),
    ).toEqual({
      errorCode: ErrorCode.NONE,
      assignment: assignmentOf(0),
    });

    const topics = [
      { name: 'clicks', partitions: [{ partitionIndex: 0, committedOffset: 5, metadata: null }] },
    ];
    const codeOf = (generationId: number, memberId: string): number | undefined =>
      coordinator.commitOffsets({ groupId: 'g', generationId, memberId, topics })[0]?.partitions[0]
        ?.errorCode;
    expect(codeOf(0, a.memberId)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(codeOf(1, 'ghost')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(codeOf(-1, '')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(codeOf(1, a.memberId)).toBe(ErrorCode.NONE);
    expect(coordinator.fetchOffsets('g', [{ name: 'clicks', partitionIndexes: [0, 1] }])).toEqual({
      errorCode: 0,
      topics: [
        {
          name: 'clicks',
          partitions: [
            { partitionIndex: 0, committedOffset: 5, metadata: '', errorCode: 0 },
            { partitionIndex: 1, committedOffset: -1, metadata: '', errorCode: 0 },
          ],
        },
      ],
    });
  });

  it('refuses commits between join and sync, and describes unknown groups as Dead', async () => {
    const [a] = await Promise.all([coordinator.join(joinRequest({ clientId: 'a' }))]);
    const result = coordinator.commitOffsets({
      groupId: 'g',
      generationId: a.generationId,
      memberId: a.memberId,
      topics: [{ name: 'clicks', partitions: [{ partitionIndex: 0, committedOffset: 1, metadata: '' }] }],
    });
    expect(result[0]?.partitions[0]?.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(coordinator.describeGroups(['unknown'])).toEqual([
      {
        errorCode: 0,
        groupId: 'unknown',
        groupState: 'Dead',
        protocolType: '',
        protocolData: '',
        members: [],
      },
    ]);
  });
});
