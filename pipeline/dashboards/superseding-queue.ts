import { ApiError } from '../contract';

interface Waiting<T> {
  key: string;
  work: () => Promise<T>;
  callers: { resolve: (value: T) => void; reject: (error: unknown) => void }[];
}

/**
 * Runs one job at a time and keeps only the newest one waiting: a refresh asked for while another runs
 * replaces the one already waiting, whose callers are answered "superseded" (CANCELLED) when it would have
 * started — not at once, so two screens that re-ask on that answer cannot bounce it between them while a
 * refresh runs. A job asked for with the key of the waiting one joins it (its callers get the same answer);
 * the running job is never joined, as it read the lake before they asked.
 */
export class SupersedingQueue<T> {
  private running: Promise<void> | null = null;
  private waiting: Waiting<T> | null = null;
  private superseded: Waiting<T>['callers'] = [];

  constructor(private readonly what: string) {}

  run(key: string, work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const caller = { resolve, reject };
      if (!this.running) return this.launch({ key, work, callers: [caller] });
      if (this.waiting?.key === key) return void this.waiting.callers.push(caller);
      if (this.waiting) this.superseded.push(...this.waiting.callers);
      this.waiting = { key, work, callers: [caller] };
    });
  }

  /** Resolves once nothing runs or waits. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private launch(job: Waiting<T>): void {
    const outcome = job.work().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    // The queue moves on before anyone hears the answer, so a caller that asks again at once is not
    // queued behind a job that has already finished.
    this.running = outcome.then((done) => {
      this.running = null;
      const superseded = this.superseded;
      this.superseded = [];
      const next = this.waiting;
      this.waiting = null;
      if (next) this.launch(next);
      for (const c of job.callers) {
        if (done.ok) c.resolve(done.value);
        else c.reject(done.error);
      }
      const error = new ApiError({
        code: 'CANCELLED',
        message: `Superseded: a newer ${this.what} with other filters was asked for before this one started.`,
      });
      for (const c of superseded) c.reject(error);
    });
  }
}
