/**
 * Sends complete out of order; the checkpoint may only move over a contiguous prefix of rows that are all
 * acknowledged. Ranges are registered in send order and released as a prefix.
 */
export class AckTracker {
  private readonly pending: { end: number; done: boolean }[] = [];

  constructor(public done: number) {}

  /** Registers rows [previous end, end) as in flight; returns the function that acknowledges them. */
  track(end: number): () => void {
    const entry = { end, done: false };
    this.pending.push(entry);
    return () => {
      entry.done = true;
      while (this.pending[0]?.done) this.done = (this.pending.shift() as { end: number }).end;
    };
  }
}
