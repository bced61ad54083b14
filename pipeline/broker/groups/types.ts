/** Plain request/response shapes of the group coordinator; the wire handlers map Kafka messages to these. */

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface GroupOptions {
  /** Like Kafka's group.min.session.timeout.ms. */
  minSessionTimeoutMs: number;
  /** Like Kafka's group.max.session.timeout.ms. */
  maxSessionTimeoutMs: number;
  /** Like Kafka's group.initial.rebalance.delay.ms: lets members that start together share a generation. */
  initialRebalanceDelayMs: number;
}

export interface JoinProtocol {
  name: string;
  metadata: Buffer;
}

export interface JoinRequest {
  groupId: string;
  /** "" for a member joining for the first time. */
  memberId: string;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  /** JoinGroup v0 has none: pass sessionTimeoutMs (or -1, which means the same). */
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: JoinProtocol[];
}

export interface JoinResponse {
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  /** Only the leader gets the members (with their metadata for the chosen protocol); followers get []. */
  members: { memberId: string; metadata: Buffer }[];
}

export interface SyncRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  /** Only the leader's assignments are used; followers send []. */
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface SyncResponse {
  errorCode: number;
  assignment: Buffer;
}

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
}

export interface LeaveRequest {
  groupId: string;
  memberId: string;
}

export interface CommitRequest {
  groupId: string;
  /** -1 with memberId "" is a simple commit from a client that does not use group membership. */
  generationId: number;
  memberId: string;
  topics: {
    name: string;
    partitions: { partitionIndex: number; committedOffset: number; metadata: string | null }[];
  }[];
}

export type CommitResponse = { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];

export interface FetchOffsetsResponse {
  errorCode: number;
  topics: {
    name: string;
    partitions: { partitionIndex: number; committedOffset: number; metadata: string; errorCode: number }[];
  }[];
}

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  groupState: GroupState;
  protocolType: string;
  protocolData: string;
  members: {
    memberId: string;
    clientId: string;
    clientHost: string;
    memberMetadata: Buffer;
    memberAssignment: Buffer;
  }[];
}

export interface GroupMemberSnapshot {
  memberId: string;
  clientId: string;
  clientHost: string;
  /** Decoded from the consumer-protocol assignment; null when not "consumer" or undecodable. */
  assignedPartitions: { topic: string; partitions: number[] }[] | null;
}

export interface GroupSnapshot {
  groupId: string;
  state: GroupState;
  generationId: number;
  protocolType: string;
  protocol: string;
  leader: string;
  members: GroupMemberSnapshot[];
  offsets: { topic: string; partition: number; offset: number; metadata: string; commitTimestamp: number }[];
}
