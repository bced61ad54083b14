import { ApiVersions } from './messages/api-versions';
import { CreateTopics } from './messages/create-topics';
import { DeleteTopics } from './messages/delete-topics';
import { DescribeConfigs } from './messages/describe-configs';
import { DescribeGroups } from './messages/describe-groups';
import { Fetch } from './messages/fetch';
import { FindCoordinator } from './messages/find-coordinator';
import { Heartbeat } from './messages/heartbeat';
import { InitProducerId } from './messages/init-producer-id';
import { JoinGroup } from './messages/join-group';
import { LeaveGroup } from './messages/leave-group';
import { ListGroups } from './messages/list-groups';
import { ListOffsets } from './messages/list-offsets';
import { Metadata } from './messages/metadata';
import { OffsetCommit } from './messages/offset-commit';
import { OffsetFetch } from './messages/offset-fetch';
import { Produce } from './messages/produce';
import { SyncGroup } from './messages/sync-group';
// Admin APIs (issue 12 item 5), kept together so the codec rewrite and these merge without touching.
import { AlterConfigs } from './messages/alter-configs';
import { CreatePartitions } from './messages/create-partitions';
import { DeleteGroups } from './messages/delete-groups';
import { DeleteRecords } from './messages/delete-records';
import { DescribeCluster } from './messages/describe-cluster';
import { IncrementalAlterConfigs } from './messages/incremental-alter-configs';
import { SaslHandshake } from './messages/sasl-handshake';
import { SaslAuthenticate } from './messages/sasl-authenticate';

/**
 * Every API this broker speaks, at the versions it advertises (see docs: the ranges work with kafkajs
 * 2.2.4, librdkafka 2.0.2 and kafka-python 2.0.2, and keep every API but ApiVersions v3 non-flexible).
 */
export const APIS = [
  Produce,
  Fetch,
  ListOffsets,
  Metadata,
  OffsetCommit,
  OffsetFetch,
  FindCoordinator,
  JoinGroup,
  Heartbeat,
  LeaveGroup,
  SyncGroup,
  DescribeGroups,
  ListGroups,
  ApiVersions,
  CreateTopics,
  DeleteTopics,
  InitProducerId,
  DescribeConfigs,
  // Admin APIs at the versions Kafka 3.9 serves; flexible ones use the codec's compact encoding.
  CreatePartitions,
  DeleteRecords,
  DeleteGroups,
  AlterConfigs,
  IncrementalAlterConfigs,
  DescribeCluster,
  // Advertised only while SASL is on (see requests/api-versions.ts); the connection answers them itself.
  SaslHandshake,
  SaslAuthenticate,
] as const;

export type AnyApi = (typeof APIS)[number];

const byKey = new Map<number, AnyApi>(APIS.map((api) => [api.key, api]));

export function apiByKey(key: number): AnyApi | undefined {
  return byKey.get(key);
}
