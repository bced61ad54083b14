import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../error-codes';
import { decodeAssignment } from './consumer-protocol';
import { Group, sameProtocols, type Member } from './group';
import { OffsetStore } from './offset-store';
import type {
  CommitRequest,
  CommitResponse,
  DescribedGroup,
  FetchOffsetsResponse,
  GroupOptions,
  GroupSnapshot,
  HeartbeatRequest,
  JoinRequest,
  JoinResponse,
  LeaveRequest,
  SyncRequest,
  SyncResponse,
} from './types';

// The request/response shapes, so callers need only this module.
export type * from './types';

export const DEFAULT_GROUP_OPTIONS: GroupOptions = {
  minSessionTimeoutMs: 6_000,
  maxSessionTimeoutMs: 300_000,
  initialRebalanceDelayMs: 3_000,
};

/** Kafka's offset.metadata.max.bytes default. */
const MAX_OFFSET_METADATA = 4096;

const EMPTY = Buffer.alloc(0);

function joinError(errorCode: number, memberId: string): JoinResponse {
  return { errorCode, generationId: -1, protocolName: '', leader: '', memberId, members: [] };
}

function syncError(errorCode: number): SyncResponse {
  return { errorCode, assignment: EMPTY };
}

/**
 * Kafka's group coordinator for a single broker: membership, rebalances (the group leader computes the
 * assignment, the coordinator only relays opaque metadata and assignments), session and rebalance
 * timeouts, and committed offsets that survive restarts. Protocol-agnostic: plain objects in and out.
 *
 * States follow Kafka: Empty → PreparingRebalance (holding JoinGroup responses until every member
 * rejoined or the rebalance timeout passed) → CompletingRebalance (waiting for the leader's SyncGroup)
 * → Stable; any join, leave or session expiry sends the group back to PreparingRebalance.
 */
export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private closed = false;

  private constructor(
    private readonly store: OffsetStore,
    private readonly options: GroupOptions,
  ) {}

  static open(dataDir: string, options: Partial<GroupOptions> = {}): GroupCoordinator {
    return new GroupCoordinator(OffsetStore.open(dataDir), { ...DEFAULT_GROUP_OPTIONS, ...options });
  }

  join(r: JoinRequest): Promise<JoinResponse> {
    const fail = (code: number): Promise<JoinResponse> => Promise.resolve(joinError(code, r.memberId));
    if (this.closed) return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (r.groupId === '') return fail(ErrorCode.INVALID_GROUP_ID);
    const { minSessionTimeoutMs, maxSessionTimeoutMs } = this.options;
    if (r.sessionTimeoutMs < minSessionTimeoutMs || r.sessionTimeoutMs > maxSessionTimeoutMs)
      return fail(ErrorCode.INVALID_SESSION_TIMEOUT);

    const existing = this.groups.get(r.groupId);
    if (!existing && r.memberId !== '') return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    const group = existing ?? new Group(r.groupId);
    if (!group.supports(r.memberId, r.protocolType, r.protocols))
      return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    if (!existing) this.groups.set(r.groupId, group);

    if (r.memberId === '') return this.addMember(group, r);
    const member = group.members.get(r.memberId);
    if (!member) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    return this.rejoin(group, member, r);
  }

  sync(r: SyncRequest): Promise<SyncResponse> {
    const fail = (code: number): Promise<SyncResponse> => Promise.resolve(syncError(code));
    if (this.closed) return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    const group = this.groups.get(r.groupId);
    const member = group?.members.get(r.memberId);
    if (!group || !member) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (r.generationId !== group.generationId) return fail(ErrorCode.ILLEGAL_GENERATION);

    switch (group.state) {
      case 'PreparingRebalance':
        return fail(ErrorCode.REBALANCE_IN_PROGRESS);
      case 'Stable':
        this.touchSession(group, member);
        return Promise.resolve({ errorCode: ErrorCode.NONE, assignment: member.assignment });
      case 'CompletingRebalance': {
        const pending = new Promise<SyncResponse>((resolve) => {
          // A repeated SyncGroup from the same member replaces the earlier one.
          member.awaitingSync?.(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
          member.awaitingSync = resolve;
        });
        this.touchSession(group, member);
        if (member.memberId === group.leaderId) this.completeSync(group, r.assignments);
        return pending;
      }
      default:
        return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    }
  }

  heartbeat(r: HeartbeatRequest): number {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const group = this.groups.get(r.groupId);
    const member = group?.members.get(r.memberId);
    if (!group || !member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (r.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.touchSession(group, member);
    return group.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  leave(r: LeaveRequest): number {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const group = this.groups.get(r.groupId);
    const member = group?.members.get(r.memberId);
    if (!group || !member) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.removeMember(group, member);
    this.membershipChanged(group);
    return ErrorCode.NONE;
  }

  commitOffsets(r: CommitRequest): CommitResponse {
    const all = (errorCode: number): CommitResponse =>
      r.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
      }));
    if (this.closed) return all(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (r.groupId === '') return all(ErrorCode.INVALID_GROUP_ID);
    const group = this.groups.get(r.groupId);
    const authority = this.commitAuthority(group, r);
    if (authority !== ErrorCode.NONE) return all(authority);

    const accepted: { topic: string; partition: number; offset: number; metadata: string }[] = [];
    const response: CommitResponse = r.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const metadata = p.metadata ?? '';
        let errorCode: number = ErrorCode.NONE;
        if (metadata.length > MAX_OFFSET_METADATA) errorCode = ErrorCode.OFFSET_METADATA_TOO_LARGE;
        else if (!Number.isSafeInteger(p.committedOffset) || !Number.isSafeInteger(p.partitionIndex))
          errorCode = ErrorCode.INVALID_REQUEST;
        else
          accepted.push({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, metadata });
        return { partitionIndex: p.partitionIndex, errorCode };
      }),
    }));
    try {
      this.store.commit(r.groupId, accepted);
    } catch {
      // The commit is not durable, so it must not be acknowledged.
      return all(ErrorCode.UNKNOWN_SERVER_ERROR);
    }
    const member = group?.members.get(r.memberId);
    if (group && member) this.touchSession(group, member);
    return response;
  }

  /** topics null (OffsetFetch v2+) means every partition the group has committed. */
  fetchOffsets(
    groupId: string,
    topics: { name: string; partitionIndexes: number[] }[] | null,
  ): FetchOffsetsResponse {
    if (this.closed) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, topics: [] };
    if (groupId === '') return { errorCode: ErrorCode.INVALID_GROUP_ID, topics: [] };
    if (topics === null) {
      const byTopic = new Map<string, FetchOffsetsResponse['topics'][number]>();
      for (const { topic, partition, committed } of this.store.list(groupId)) {
        let entry = byTopic.get(topic);
        if (!entry) byTopic.set(topic, (entry = { name: topic, partitions: [] }));
        entry.partitions.push({
          partitionIndex: partition,
          committedOffset: committed.offset,
          metadata: committed.metadata,
          errorCode: ErrorCode.NONE,
        });
      }
      return { errorCode: ErrorCode.NONE, topics: [...byTopic.values()] };
    }
    return {
      errorCode: ErrorCode.NONE,
      topics: topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((partitionIndex) => {
          const c = this.store.get(groupId, t.name, partitionIndex);
          return {
            partitionIndex,
            committedOffset: c?.offset ?? -1,
            metadata: c?.metadata ?? '',
            errorCode: ErrorCode.NONE,
          };
        }),
      })),
    };
  }

  /** Groups with members or committed offsets (Kafka also lists groups that only hold offsets). */
  listGroups(): { groupId: string; protocolType: string }[] {
    return this.allGroupIds().map((groupId) => ({
      groupId,
      protocolType: this.groups.get(groupId)?.protocolType ?? '',
    }));
  }

  /** Unknown groups are reported as "Dead" with no error, as Kafka does. */
  describeGroups(ids: string[]): DescribedGroup[] {
    return ids.map((groupId): DescribedGroup => {
      const group = this.groups.get(groupId);
      const base = { errorCode: ErrorCode.NONE, groupId, protocolType: '', protocolData: '', members: [] };
      if (this.closed) return { ...base, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groupState: 'Dead' };
      if (groupId === '') return { ...base, errorCode: ErrorCode.INVALID_GROUP_ID, groupState: 'Dead' };
      if (!group) return { ...base, groupState: this.store.list(groupId).length > 0 ? 'Empty' : 'Dead' };
      // Like Kafka, member metadata and assignments are only meaningful once the group is Stable.
      const stable = group.state === 'Stable';
      return {
        ...base,
        groupState: group.state,
        protocolType: group.protocolType,
        protocolData: group.protocolName,
        members: [...group.members.values()].map((m) => ({
          memberId: m.memberId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: stable ? group.metadataFor(m) : EMPTY,
          memberAssignment: stable ? m.assignment : EMPTY,
        })),
      };
    });
  }

  /** What the UI shows: every group's state, members with their decoded partitions, committed offsets. */
  snapshot(): GroupSnapshot[] {
    return this.allGroupIds().map((groupId): GroupSnapshot => {
      const group = this.groups.get(groupId);
      const offsets = this.store.list(groupId).map(({ topic, partition, committed }) => ({
        topic,
        partition,
        offset: committed.offset,
        metadata: committed.metadata,
        commitTimestamp: committed.commitTimestamp,
      }));
      if (!group)
        return {
          groupId,
          state: 'Empty',
          generationId: 0,
          protocolType: '',
          protocol: '',
          leader: '',
          members: [],
          offsets,
        };
      return {
        groupId,
        state: group.state,
        generationId: group.generationId,
        protocolType: group.protocolType,
        protocol: group.protocolName,
        leader: group.leaderId,
        members: [...group.members.values()].map((m) => ({
          memberId: m.memberId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          assignedPartitions: group.protocolType === 'consumer' ? decodedPartitions(m.assignment) : null,
        })),
        offsets,
      };
    });
  }

  /**
   * DeleteGroups, as Kafka answers it: a group with members is refused (NON_EMPTY_GROUP), one that neither
   * has members nor committed offsets does not exist (GROUP_ID_NOT_FOUND); otherwise its offsets go, durably.
   */
  deleteGroups(ids: string[]): { groupId: string; errorCode: number }[] {
    return ids.map((groupId) => {
      const answer = (errorCode: number) => ({ groupId, errorCode });
      if (this.closed) return answer(ErrorCode.COORDINATOR_NOT_AVAILABLE);
      if (groupId === '') return answer(ErrorCode.INVALID_GROUP_ID);
      const group = this.groups.get(groupId);
      if (group && group.members.size > 0) return answer(ErrorCode.NON_EMPTY_GROUP);
      if (!group && this.store.list(groupId).length === 0) return answer(ErrorCode.GROUP_ID_NOT_FOUND);
      if (group) {
        this.clearJoinTimer(group);
        this.groups.delete(groupId);
      }
      this.store.deleteGroup(groupId);
      return answer(ErrorCode.NONE);
    });
  }

  /** For DeleteTopics: a deleted topic's offsets must not resurface if a topic of that name is recreated. */
  deleteTopicOffsets(topic: string): void {
    this.store.deleteTopic(topic);
  }

  /** Stops every timer and answers held requests, so nothing keeps the process alive. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const group of this.groups.values()) {
      this.clearJoinTimer(group);
      for (const m of group.members.values()) {
        this.clearSessionTimer(m);
        this.answerHeld(m, ErrorCode.COORDINATOR_NOT_AVAILABLE);
      }
    }
    this.groups.clear();
    this.store.close();
  }

  // ---- membership and rebalancing ----

  private addMember(group: Group, r: JoinRequest): Promise<JoinResponse> {
    const member: Member = {
      memberId: `${r.clientId}-${randomUUID()}`,
      clientId: r.clientId,
      clientHost: r.clientHost,
      sessionTimeoutMs: r.sessionTimeoutMs,
      rebalanceTimeoutMs: rebalanceTimeoutOf(r),
      protocolType: r.protocolType,
      protocols: r.protocols,
      assignment: EMPTY,
      awaitingJoin: null,
      awaitingSync: null,
      sessionTimer: null,
    };
    if (group.members.size === 0) group.protocolType = r.protocolType;
    group.members.set(member.memberId, member);
    const pending = this.holdJoin(member);
    if (group.state === 'PreparingRebalance') {
      // Each newcomer during the initial delay extends it, up to the rebalance timeout, like Kafka.
      const now = Date.now();
      if (now < group.joinReadyAt)
        group.joinReadyAt = Math.min(now + this.options.initialRebalanceDelayMs, group.rebalanceDeadline);
      this.checkJoin(group);
    } else {
      this.prepareRebalance(group);
    }
    return pending;
  }

  private rejoin(group: Group, member: Member, r: JoinRequest): Promise<JoinResponse> {
    const unchanged = sameProtocols(member.protocols, r.protocols);
    const update = (): void => {
      member.sessionTimeoutMs = r.sessionTimeoutMs;
      member.rebalanceTimeoutMs = rebalanceTimeoutOf(r);
      member.protocols = r.protocols;
      // A sole member may switch protocol type; with others, supports() already demanded the same type.
      if (group.members.size === 1) group.protocolType = r.protocolType;
    };
    switch (group.state) {
      case 'PreparingRebalance': {
        update();
        const pending = this.holdJoin(member);
        this.clearSessionTimer(member);
        this.checkJoin(group);
        return pending;
      }
      case 'CompletingRebalance':
      case 'Stable': {
        // A repeated join with nothing new just gets the current generation back (its response was lost);
        // a leader rejoining in Stable wants a new assignment, so that rebalances like in Kafka.
        const isLeader = member.memberId === group.leaderId;
        if (unchanged && (group.state === 'CompletingRebalance' || !isLeader)) {
          this.touchSession(group, member);
          return Promise.resolve(this.joinResult(group, member));
        }
        update();
        const pending = this.holdJoin(member);
        this.clearSessionTimer(member);
        this.prepareRebalance(group);
        return pending;
      }
      default:
        return Promise.resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, member.memberId));
    }
  }

  private holdJoin(member: Member): Promise<JoinResponse> {
    return new Promise<JoinResponse>((resolve) => {
      member.awaitingJoin?.(joinError(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId));
      member.awaitingJoin = resolve;
    });
  }

  private prepareRebalance(group: Group): void {
    if (group.state === 'CompletingRebalance') {
      // The assignment being synced is obsolete: tell waiting followers to rejoin.
      for (const m of group.members.values()) {
        m.assignment = EMPTY;
        const resolve = m.awaitingSync;
        m.awaitingSync = null;
        resolve?.(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
        if (!m.awaitingJoin) this.touchSession(group, m);
      }
    }
    const initial = group.state === 'Empty';
    const now = Date.now();
    group.state = 'PreparingRebalance';
    group.rebalanceDeadline = now + group.maxRebalanceTimeoutMs();
    group.joinReadyAt = initial
      ? Math.min(now + this.options.initialRebalanceDelayMs, group.rebalanceDeadline)
      : now;
    this.checkJoin(group);
  }

  /** Completes the join phase when it may (delay over, everyone rejoined or time is up), else waits. */
  private checkJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance') return;
    this.clearJoinTimer(group);
    const now = Date.now();
    if (now < group.joinReadyAt) {
      this.armJoinTimer(group, group.joinReadyAt - now, () => (group.joinReadyAt = 0));
      return;
    }
    if (!group.allMembersJoined()) {
      if (now < group.rebalanceDeadline) {
        this.armJoinTimer(group, group.rebalanceDeadline - now, () => (group.rebalanceDeadline = 0));
        return;
      }
      for (const m of [...group.members.values()]) if (!m.awaitingJoin) this.removeMember(group, m);
    }
    this.completeJoin(group);
  }

  private armJoinTimer(group: Group, ms: number, expire: () => void): void {
    group.joinTimer = setTimeout(() => {
      group.joinTimer = null;
      // Timers may fire a hair early by Date.now(); mark the phase over instead of re-comparing clocks.
      expire();
      this.checkJoin(group);
    }, ms);
    group.joinTimer.unref();
  }

  private completeJoin(group: Group): void {
    this.clearJoinTimer(group);
    group.generationId++;
    const first = group.members.keys().next();
    if (first.done) {
      group.state = 'Empty';
      group.protocolName = '';
      group.leaderId = '';
      return;
    }
    if (!group.members.has(group.leaderId)) group.leaderId = first.value;
    group.protocolName = group.selectProtocol();
    group.state = 'CompletingRebalance';
    for (const m of group.members.values()) {
      const resolve = m.awaitingJoin;
      m.awaitingJoin = null;
      this.touchSession(group, m);
      resolve?.(this.joinResult(group, m));
    }
  }

  private completeSync(group: Group, assignments: SyncRequest['assignments']): void {
    const byMember = new Map(assignments.map((a) => [a.memberId, a.assignment]));
    group.state = 'Stable';
    for (const m of group.members.values()) {
      const given = byMember.get(m.memberId);
      m.assignment = given ? Buffer.from(given) : EMPTY;
      const resolve = m.awaitingSync;
      m.awaitingSync = null;
      this.touchSession(group, m);
      resolve?.({ errorCode: ErrorCode.NONE, assignment: m.assignment });
    }
  }

  private joinResult(group: Group, member: Member): JoinResponse {
    const isLeader = member.memberId === group.leaderId;
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolName: group.protocolName,
      leader: group.leaderId,
      memberId: member.memberId,
      members: isLeader
        ? [...group.members.values()].map((m) => ({ memberId: m.memberId, metadata: group.metadataFor(m) }))
        : [],
    };
  }

  private removeMember(group: Group, member: Member): void {
    this.clearSessionTimer(member);
    group.members.delete(member.memberId);
    this.answerHeld(member, ErrorCode.UNKNOWN_MEMBER_ID);
  }

  private membershipChanged(group: Group): void {
    if (group.state === 'PreparingRebalance') this.checkJoin(group);
    else if (group.state === 'Stable' || group.state === 'CompletingRebalance') this.prepareRebalance(group);
  }

  /**
   * Restarts the member's session timer. Members held in JoinGroup or SyncGroup are kept alive, like
   * Kafka: they are waiting on the coordinator, not failing to heartbeat.
   */
  private touchSession(group: Group, member: Member): void {
    this.clearSessionTimer(member);
    if (member.awaitingJoin || member.awaitingSync || this.closed) return;
    member.sessionTimer = setTimeout(() => {
      member.sessionTimer = null;
      if (group.members.get(member.memberId) !== member) return;
      this.removeMember(group, member);
      this.membershipChanged(group);
    }, member.sessionTimeoutMs);
    member.sessionTimer.unref();
  }

  private clearSessionTimer(member: Member): void {
    if (member.sessionTimer) clearTimeout(member.sessionTimer);
    member.sessionTimer = null;
  }

  private clearJoinTimer(group: Group): void {
    if (group.joinTimer) clearTimeout(group.joinTimer);
    group.joinTimer = null;
  }

  private answerHeld(member: Member, errorCode: number): void {
    const join = member.awaitingJoin;
    const sync = member.awaitingSync;
    member.awaitingJoin = null;
    member.awaitingSync = null;
    join?.(joinError(errorCode, member.memberId));
    sync?.(syncError(errorCode));
  }

  /** Kafka's rules for who may commit: simple commits only to memberless groups, else a current member. */
  private commitAuthority(group: Group | undefined, r: CommitRequest): number {
    if (!group || group.members.size === 0)
      return r.generationId < 0
        ? ErrorCode.NONE
        : group
          ? ErrorCode.UNKNOWN_MEMBER_ID
          : ErrorCode.ILLEGAL_GENERATION;
    // Commits during PreparingRebalance stay allowed (clients commit while revoking partitions before
    // rejoining); only the window between join and sync refuses them, as in Kafka.
    if (group.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    if (!group.members.has(r.memberId)) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (r.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    return ErrorCode.NONE;
  }

  private allGroupIds(): string[] {
    const ids = new Set<string>(this.groups.keys());
    for (const id of this.store.groupIds()) ids.add(id);
    return [...ids].sort();
  }
}

function rebalanceTimeoutOf(r: JoinRequest): number {
  return r.rebalanceTimeoutMs > 0 ? r.rebalanceTimeoutMs : r.sessionTimeoutMs;
}

function decodedPartitions(assignment: Buffer): { topic: string; partitions: number[] }[] | null {
  if (assignment.length === 0) return [];
  try {
    return decodeAssignment(assignment).assignedPartitions;
  } catch {
    return null;
  }
}
