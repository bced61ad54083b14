/** Time source of the pacer; tests pass a controllable one. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type Pace = { kind: 'max' } | { kind: 'speed'; factor: number } | { kind: 'rate'; perSecond: number };

/**
 * When each row is due, on the wall clock. Every due time is computed from the start of the run (not from
 * the previous row), so event-time gaps keep their scale without drift however long the run; a pause moves
 * the origin by its length. At max speed every row is due at once and the only limit is backpressure.
 */
export class Pacer {
  private origin: number | null = null;
  private firstEventMs: number | null = null;
  private pausedAt: number | null = null;

  constructor(
    readonly pace: Pace,
    private readonly clock: Clock,
  ) {}

  /** Wall-clock time at which a row may be sent; `index` counts rows sent by this run from 0. */
  dueAt(eventMs: number | null, index: number): number {
    const now = this.clock.now();
    this.origin ??= now;
    if (this.pace.kind === 'max') return now;
    if (this.pace.kind === 'rate') return this.origin + (index * 1000) / this.pace.perSecond;
    if (eventMs === null) return now; // rejected rows carry no usable time: no reason to hold them
    this.firstEventMs ??= eventMs;
    // A row earlier than the first (a file out of order) is due at once rather than in the past.
    return this.origin + Math.max(0, eventMs - this.firstEventMs) / this.pace.factor;
  }

  /** How long to wait before `due` (0 if due already). */
  waitFor(due: number): number {
    return Math.max(0, due - this.clock.now());
  }

  pause(): void {
    this.pausedAt ??= this.clock.now();
  }

  resume(): void {
    if (this.pausedAt === null) return;
    if (this.origin !== null) this.origin += this.clock.now() - this.pausedAt;
    this.pausedAt = null;
  }
}
