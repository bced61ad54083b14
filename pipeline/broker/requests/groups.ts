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
import type { Handler } from './context';
import { NODE_ID } from './metadata';

const GROUP_KEY = 0;

/** We coordinate every group ourselves; transactions have no coordinator here. */
export const handleFindCoordinator: Handler<typeof FindCoordinator> = (req, _ctx, core) => {
  const { host, port } = core.advertised();
  if (req.keyType !== GROUP_KEY) {
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
      errorMessage: 'This broker has no transaction coordinator',
      nodeId: -1,
      host: '',
      port: -1,
    };
  }
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, nodeId: NODE_ID, host, port };
};

export const handleJoinGroup: Handler<typeof JoinGroup> = async (req, ctx, core) => {
  if (req.groupId === '') return { ...joinFailure(req.memberId), errorCode: ErrorCode.INVALID_GROUP_ID };
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
  return { throttleTimeMs: 0, ...result };
};

function joinFailure(memberId: string) {
  return { throttleTimeMs: 0, generationId: -1, protocolName: '', leader: '', memberId, members: [] };
}

export const handleSyncGroup: Handler<typeof SyncGroup> = async (req, _ctx, core) => ({
  throttleTimeMs: 0,
  ...(await core.groups.sync(req)),
});

export const handleHeartbeat: Handler<typeof Heartbeat> = (req, _ctx, core) => ({
  throttleTimeMs: 0,
  errorCode: core.groups.heartbeat(req),
});

export const handleLeaveGroup: Handler<typeof LeaveGroup> = (req, _ctx, core) => ({
  throttleTimeMs: 0,
  errorCode: core.groups.leave(req),
});

export const handleOffsetCommit: Handler<typeof OffsetCommit> = (req, _ctx, core) => ({
  throttleTimeMs: 0,
  topics: core.groups.commitOffsets({
    groupId: req.groupId,
    generationId: req.generationId,
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

export const handleOffsetFetch: Handler<typeof OffsetFetch> = (req, _ctx, core) => ({
  throttleTimeMs: 0,
  ...core.groups.fetchOffsets(req.groupId, req.topics),
});

export const handleListGroups: Handler<typeof ListGroups> = (_req, _ctx, core) => ({
  throttleTimeMs: 0,
  errorCode: ErrorCode.NONE,
  groups: core.groups.listGroups(),
});

export const handleDescribeGroups: Handler<typeof DescribeGroups> = (req, _ctx, core) => ({
  throttleTimeMs: 0,
  groups: core.groups.describeGroups(req.groups),
});
