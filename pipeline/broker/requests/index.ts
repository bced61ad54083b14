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
// Admin APIs (issue 12 item 5).
import { AlterConfigs } from '../protocol/messages/alter-configs';
import { CreatePartitions } from '../protocol/messages/create-partitions';
import { DeleteGroups } from '../protocol/messages/delete-groups';
import { DeleteRecords } from '../protocol/messages/delete-records';
import { DescribeCluster } from '../protocol/messages/describe-cluster';
import { IncrementalAlterConfigs } from '../protocol/messages/incremental-alter-configs';
import { handleAlterConfigs, handleIncrementalAlterConfigs } from './alter-configs';
import { handleCreatePartitions } from './create-partitions';
import { handleDeleteGroups } from './delete-groups';
import { handleDeleteRecords } from './delete-records';
import { handleDescribeCluster } from './describe-cluster';

/** SaslHandshake and SaslAuthenticate change the connection's state, so the connection answers them (see sasl/). */
type ConnectionApiKey = 17 | 36;
type HandlerTable = { [A in AnyApi as A['key'] extends ConnectionApiKey ? never : A['key']]: Handler<A> };

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
  // Admin APIs (issue 12 item 5).
  [CreatePartitions.key]: handleCreatePartitions,
  [DeleteRecords.key]: handleDeleteRecords,
  [DeleteGroups.key]: handleDeleteGroups,
  [AlterConfigs.key]: handleAlterConfigs,
  [IncrementalAlterConfigs.key]: handleIncrementalAlterConfigs,
  [DescribeCluster.key]: handleDescribeCluster,
};

/** The handler of an API, typed loosely: the codec has already decoded the request for that API. */
export function handlerFor(api: AnyApi): Handler<AnyApi> {
  return (table as unknown as Record<number, Handler<AnyApi>>)[api.key] as Handler<AnyApi>;
}
