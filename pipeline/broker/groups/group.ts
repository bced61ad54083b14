import type { GroupState, JoinProtocol, JoinResponse, SyncResponse } from './types';

/** A consumer group member as the coordinator tracks it between requests. */
export interface Member {
  memberId: string;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: JoinProtocol[];
  assignment: Buffer;
  /** Set while the member's JoinGroup is held until the rebalance completes. */
  awaitingJoin: ((r: JoinResponse) => void) | null;
  /** Set while a follower's SyncGroup waits for the leader's assignment. */
  awaitingSync: ((r: SyncResponse) => void) | null;
  sessionTimer: NodeJS.Timeout | null;
}

/** One group's membership and rebalance bookkeeping; the coordinator drives the state transitions. */
export class Group {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType = '';
  protocolName = '';
  leaderId = '';
  /** Insertion order matters: the first member becomes leader when there is none. */
  readonly members = new Map<string, Member>();
  joinTimer: NodeJS.Timeout | null = null;
  /** PreparingRebalance: the join completes no earlier than this (initial delay)... */
  joinReadyAt = 0;
  /** ...and no later than this (rebalance timeout), dropping members that did not rejoin. */
  rebalanceDeadline = 0;

  constructor(readonly groupId: string) {}

  /**
   * Whether a (re)joining member's protocols fit the group: the same protocol type, and at least one
   * protocol every other member supports too. An empty group accepts any non-empty offer.
   */
  supports(memberId: string, protocolType: string, protocols: JoinProtocol[]): boolean {
    if (protocolType === '' || protocols.length === 0) return false;
    const others = [...this.members.values()].filter((m) => m.memberId !== memberId);
    if (others.length === 0) return true;
    if (protocolType !== this.protocolType) return false;
    return protocols.some((p) => others.every((m) => m.protocols.some((q) => q.name === p.name)));
  }

  /**
   * Kafka's vote: among protocols every member supports, each member votes for its most preferred one;
   * the most votes win, ties going to the leader's preference order.
   */
  selectProtocol(): string {
    const members = [...this.members.values()];
    const leader = this.members.get(this.leaderId) ?? members[0];
    if (!leader) return '';
    const candidates = leader.protocols
      .map((p) => p.name)
      .filter((name) => members.every((m) => m.protocols.some((q) => q.name === name)));
    const votes = new Map<string, number>(candidates.map((c) => [c, 0]));
    for (const m of members) {
      const choice = m.protocols.find((p) => votes.has(p.name));
      if (choice) votes.set(choice.name, (votes.get(choice.name) ?? 0) + 1);
    }
    let best = '';
    let bestVotes = -1;
    for (const c of candidates) {
      const v = votes.get(c) ?? 0;
      if (v > bestVotes) [best, bestVotes] = [c, v];
    }
    return best;
  }

  metadataFor(member: Member): Buffer {
    return member.protocols.find((p) => p.name === this.protocolName)?.metadata ?? Buffer.alloc(0);
  }

  /** The longest rebalance timeout among members bounds how long a rebalance may wait for rejoins. */
  maxRebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  allMembersJoined(): boolean {
    for (const m of this.members.values()) if (!m.awaitingJoin) return false;
    return true;
  }
}

export function sameProtocols(a: JoinProtocol[], b: JoinProtocol[]): boolean {
  return (
    a.length === b.length && a.every((p, i) => p.name === b[i]?.name && p.metadata.equals(b[i].metadata))
  );
}
