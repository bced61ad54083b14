import { ErrorCode } from '../error-codes';
import type { DescribeGroups } from '../protocol/messages/describe-groups';
import type { FindCoordinator } from '../protocol/messages/find-coordinator';
import type { Heartbeat } from '../protocol/messages/heartbeat';
import type { JoinGroup } from '../protocol/messages/join-group';
import type { LeaveGroup } from '../protocol/messages/leave-group';
import type { ListGroups } from '../protocol/messages/list-groups';
import type { OffsetCommit } from '../protocol/messages/offset-commit';
import type { OffsetFetch } from '../protocol/messages/offset-fetch';
import type { SyncGroup } from '../protocol/messages/sync-group';
import type { BrokerCore, Handler } from './context';
import { NODE_ID } from './metadata';

const GROUP_KEY = 0;
/** Kafka's "not asked for" value of authorizedOperations (we have no ACLs). */
const OPERATIONS_NOT_REQUESTED = -2147483648;

function coordinatorFor(keyType: number, core: BrokerCore) {
  const { host, port } = core.advertised();
  if (keyType !== GROUP_KEY) {
    return {
      errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
      errorMessage: 'This broker has no transaction coordinator',
      nodeId: -1,
      host: '',
      port: -1,
    };
  }
  return { errorCode: ErrorCode.NONE, errorMessage: null, nodeId: NODE_ID, host, port };
}

/** We coordinate every group ourselves; transactions have no coordinator here. v4+ asks for many keys at once. */
export const handleFindCoordinator: Handler<typeof FindCoordinator> = (req, ctx, core) => {
  const one = coordinatorFor(req.keyType, core);
  return {
    throttleTimeMs: 0,
    ...one,
    coordinators:
      ctx.version >= 4
        ? req.coordinatorKeys.map((key) => ({ key, ...coordinatorFor(req.keyType, core) }))
        : [],
  };
};

export const handleJoinGroup: Handler<typeof JoinGroup> = async (req, ctx, core) => {
  const answer = (result: {
    errorCode: number;
    generationId: number;
    protocolName: string;
    leader: string;
    memberId: string;
    members: { memberId: string; metadata: Buffer }[];
  }) => ({
    throttleTimeMs: 0,
    ...result,
    protocolType: result.errorCode === ErrorCode.NONE ? req.protocolType : null,
    skipAssignment: false,
    members: result.members.map((m) => ({ ...m, groupInstanceId: null })),
  });
  if (req.groupId === '')
    return answer({ ...joinFailure(req.memberId), errorCode: ErrorCode.INVALID_GROUP_ID });
  const result = await core.groups.join({
    groupId: req.groupId,
    memberId: req.memberId,
    clientId: ctx.header.clientId ?? '',
    clientHost: ctx.clientHost,
    sessionTimeoutMs: req.sessionTimeoutMs,
    rebalanceTimeoutMs: req.rebalanceTimeoutMs,
    protocolType: req.protocolType,
    protocols: req.protocols,
  });
  return answer(result);
};

function joinFailure(memberId: string) {
  return { generationId: -1, protocolName: '', leader: '', memberId, members: [] };
}

/** v5+ echoes the protocol the member named (clients check it matches what they joined with). */
export const handleSyncGroup: Handler<typeof SyncGroup> = async (req, _ctx, core) => ({
  throttleTimeMs: 0,
  protocolType: req.protocolType,
  protocolName: req.protocolName,
  ...(await core.groups.sync(req)),
});

export const handleHeartbeat: Handler<typeof Heartbeat> = (req, _ctx, core) => ({
  throttleTimeMs: 0,
  errorCode: core.groups.heartbeat(req),
});

/** Up to v2 one member leaves; from v3 a batch of members, each with its own answer. */
export const handleLeaveGroup: Handler<typeof LeaveGroup> = (req, ctx, core) => {
  if (ctx.version < 3) {
    return {
      throttleTimeMs: 0,
      errorCode: core.groups.leave({ groupId: req.groupId, memberId: req.memberId }),
      members: [],
    };
  }
  const members = req.members.map((m) => ({
    memberId: m.memberId,
    groupInstanceId: m.groupInstanceId,
    errorCode: core.groups.leave({ groupId: req.groupId, memberId: m.memberId }),
  }));
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, members };
};

export const handleOffsetCommit: Handler<typeof OffsetCommit> = (req, _ctx, core) => ({
  throttleTimeMs: 0,
  topics: core.groups.commitOffsets({
    groupId: req.groupId,
    generationId: req.generationIdOrMemberEpoch,
    memberId: req.memberId,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        committedOffset: p.committedOffset,
        metadata: p.committedMetadata,
      })),
    })),
  }),
});

function fetchOffsets(
  groupId: string,
  topics: { name: string; partitionIndexes: number[] }[] | null,
  core: BrokerCore,
) {
  const { errorCode, topics: found } = core.groups.fetchOffsets(groupId, topics);
  return {
    errorCode,
    topics: found.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ ...p, committedLeaderEpoch: -1 })),
    })),
  };
}

/** Up to v7 one group; from v8 a batch of groups. */
export const handleOffsetFetch: Handler<typeof OffsetFetch> = (req, ctx, core) => {
  if (ctx.version < 8)
    return { throttleTimeMs: 0, ...fetchOffsets(req.groupId, req.topics, core), groups: [] };
  return {
    throttleTimeMs: 0,
    topics: [],
    errorCode: ErrorCode.NONE,
    groups: req.groups.map((g) => ({ groupId: g.groupId, ...fetchOffsets(g.groupId, g.topics, core) })),
  };
};

/** v4+ may filter by state (case-insensitive, as Kafka); v5+ by type: every group here is "classic". */
export const handleListGroups: Handler<typeof ListGroups> = (req, _ctx, core) => {
  const listed = core.groups.listGroups();
  const states = core.groups.describeGroups(listed.map((g) => g.groupId));
  const wantedStates = new Set(req.statesFilter.map((s) => s.toLowerCase()));
  const wantedTypes = new Set(req.typesFilter.map((s) => s.toLowerCase()));
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    groups: listed
      .map((g, i) => ({ ...g, groupState: states[i]?.groupState ?? 'Empty', groupType: 'classic' }))
      .filter((g) => wantedStates.size === 0 || wantedStates.has(g.groupState.toLowerCase()))
      .filter((g) => wantedTypes.size === 0 || wantedTypes.has(g.groupType)),
  };
};

export const handleDescribeGroups: Handler<typeof DescribeGroups> = (req, _ctx, core) => ({
  throttleTimeMs: 0,
  groups: core.groups.describeGroups(req.groups).map((g) => ({
    ...g,
    members: g.members.map((m) => ({ ...m, groupInstanceId: null })),
    authorizedOperations: OPERATIONS_NOT_REQUESTED,
  })),
});
