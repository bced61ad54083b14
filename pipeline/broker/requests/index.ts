import { ApiVersions } from '../protocol/messages/api-versions';
import { CreateTopics } from '../protocol/messages/create-topics';
import { DeleteTopics } from '../protocol/messages/delete-topics';
import { DescribeConfigs } from '../protocol/messages/describe-configs';
import { DescribeGroups } from '../protocol/messages/describe-groups';
import { Fetch } from '../protocol/messages/fetch';
import { FindCoordinator } from '../protocol/messages/find-coordinator';
import { Heartbeat } from '../protocol/messages/heartbeat';
import { InitProducerId } from '../protocol/messages/init-producer-id';
import { JoinGroup } from '../protocol/messages/join-group';
import { LeaveGroup } from '../protocol/messages/leave-group';
import { ListGroups } from '../protocol/messages/list-groups';
import { ListOffsets } from '../protocol/messages/list-offsets';
import { Metadata } from '../protocol/messages/metadata';
import { OffsetCommit } from '../protocol/messages/offset-commit';
import { OffsetFetch } from '../protocol/messages/offset-fetch';
import { Produce } from '../protocol/messages/produce';
import { SyncGroup } from '../protocol/messages/sync-group';
import type { AnyApi } from '../protocol/registry';
import { handleCreateTopics, handleDeleteTopics } from './admin';
import { handleDescribeConfigs } from './describe-configs';
import { handleApiVersions } from './api-versions';
import type { Handler } from './context';
import { handleFetch } from './fetch';
import {
  handleDescribeGroups,
  handleFindCoordinator,
  handleHeartbeat,
  handleJoinGroup,
  handleLeaveGroup,
  handleListGroups,
  handleOffsetCommit,
  handleOffsetFetch,
  handleSyncGroup,
} from './groups';
import { handleInitProducerId } from './init-producer-id';
import { handleListOffsets } from './list-offsets';
import { handleMetadata } from './metadata';
import { handleProduce } from './produce';

type HandlerTable = { [A in AnyApi as A['key']]: Handler<A> };

const table: HandlerTable = {
  [Produce.key]: handleProduce,
  [Fetch.key]: handleFetch,
  [ListOffsets.key]: handleListOffsets,
  [Metadata.key]: handleMetadata,
  [OffsetCommit.key]: handleOffsetCommit,
  [OffsetFetch.key]: handleOffsetFetch,
  [FindCoordinator.key]: handleFindCoordinator,
  [JoinGroup.key]: handleJoinGroup,
  [Heartbeat.key]: handleHeartbeat,
  [LeaveGroup.key]: handleLeaveGroup,
  [SyncGroup.key]: handleSyncGroup,
  [DescribeGroups.key]: handleDescribeGroups,
  [ListGroups.key]: handleListGroups,
  [ApiVersions.key]: handleApiVersions,
  [CreateTopics.key]: handleCreateTopics,
  [DeleteTopics.key]: handleDeleteTopics,
  [InitProducerId.key]: handleInitProducerId,
  [DescribeConfigs.key]: handleDescribeConfigs,
};

/** The handler of an API, typed loosely: the codec has already decoded the request for that API. */
export function handlerFor(api: AnyApi): Handler<AnyApi> {
  return (table as unknown as Record<number, Handler<AnyApi>>)[api.key] as Handler<AnyApi>;
}
