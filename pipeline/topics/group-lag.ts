import type { GroupInfo } from '../contract';

/** Per group, at most this many samples: an hour at one per 5 s. */
const MAX_SAMPLES = 720;

/** Each consumer group's total lag over time, in memory (the lag of a past session is of little use). */
export class GroupLagHistory {
  private readonly groups = new Map<string, { at: number; lag: number }[]>();
  private lastAt = 0;

  constructor(
    private readonly minGapMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an overview's groups, at most once per minGapMs. */
  record(groups: GroupInfo[]): void {
    const at = this.now();
    if (at - this.lastAt < this.minGapMs) return;
    this.lastAt = at;
    for (const g of groups) {
      const samples = this.groups.get(g.groupId) ?? [];
      samples.push({ at, lag: g.totalLag });
      if (samples.length > MAX_SAMPLES) samples.splice(0, samples.length - MAX_SAMPLES);
      this.groups.set(g.groupId, samples);
    }
    // A deleted group's line ends; it is dropped once it is not in the overview any more.
    const present = new Set(groups.map((g) => g.groupId));
    for (const id of this.groups.keys()) if (!present.has(id)) this.groups.delete(id);
  }

  all(): { groupId: string; samples: { at: number; lag: number }[] }[] {
    return [...this.groups].map(([groupId, samples]) => ({ groupId, samples: samples.slice() }));
  }
}
