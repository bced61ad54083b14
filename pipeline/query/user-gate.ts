import { ApiError } from '../contract';

/**
 * Users' SQL runs through this gate: at most `slots` operations at once, the rest wait in line. DuckDB's
 * Node binding runs each statement on one of libuv's worker threads (4 by default) for as long as the
 * statement runs, and the same threads serve every file-system call and the lake's own DuckDB work; so
 * runaway user queries could otherwise occupy all of them and stall the catalog, the file picker and the
 * lake stream. Each operation is keyed by its query id: cancelling the key drops it from the line or
 * interrupts it, and an operation that runs longer than the timeout is interrupted too.
 */
export class UserQueryGate {
  private readonly waiting: Entry[] = [];
  private readonly running = new Set<Entry>();
  private closed = false;

  constructor(
    private readonly slots: number,
    private readonly timeoutMs: () => Promise<number>,
  ) {}

  /**
   * Runs work when a slot is free; work must stop (interrupt DuckDB) when the signal aborts. A tag marks
   * work that a newer request of the same key may make useless (see supersede).
   */
  run<T>(key: string, work: (signal: AbortSignal) => Promise<T>, tag?: string): Promise<T> {
    if (this.closed) return Promise.reject(shuttingDown());
    return new Promise<T>((resolve, reject) => {
      const entry: Entry = {
        key,
        tag,
        controller: new AbortController(),
        start: () => {
          this.running.add(entry);
          void this.execute(entry, work).then(resolve, reject);
        },
        reject,
      };
      this.waiting.push(entry);
      this.pump();
    });
  }

  /** Drops the key's waiting operations and interrupts its running ones; true when there was any. */
  cancel(key: string): boolean {
    let found = false;
    for (const entry of this.waiting.filter((e) => e.key === key)) {
      this.waiting.splice(this.waiting.indexOf(entry), 1);
      entry.reject(cancelled());
      found = true;
    }
    for (const entry of this.running) {
      if (entry.key !== key) continue;
      entry.controller.abort('cancel');
      found = true;
    }
    return found;
  }

  /** Cancels the key's tagged operations whose tag differs from `tag` (a grid's pages of an older sort). */
  supersede(key: string, tag: string): void {
    const stale = (e: Entry) => e.key === key && e.tag !== undefined && e.tag !== tag;
    for (const entry of this.waiting.filter(stale)) {
      this.waiting.splice(this.waiting.indexOf(entry), 1);
      entry.reject(cancelled());
    }
    for (const entry of this.running) if (stale(entry)) entry.controller.abort('cancel');
  }

  /** For shutdown: refuses new work, drops the line, interrupts what runs and waits for it to stop. */
  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.waiting.splice(0)) entry.reject(shuttingDown());
    const stopping = [...this.running].map((entry) => {
      entry.controller.abort('shutdown');
      return entry.done;
    });
    await Promise.allSettled(stopping);
  }

  private async execute<T>(entry: Entry, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { signal } = entry.controller;
    let limit = 0;
    let timer: NodeJS.Timeout | undefined;
    try {
      limit = await this.timeoutMs();
      timer = setTimeout(() => entry.controller.abort('timeout'), limit);
      if (signal.aborted) throw new Error('INTERRUPT before it started');
      const done = work(signal);
      entry.done = done;
      return await done;
    } catch (error) {
      if (signal.reason === 'timeout') throw timedOut(limit);
      if (signal.reason === 'shutdown') throw shuttingDown();
      if (signal.aborted) throw cancelled();
      throw error;
    } finally {
      clearTimeout(timer);
      this.running.delete(entry);
      this.pump();
    }
  }

  private pump(): void {
    while (this.running.size < this.slots && this.waiting.length > 0) this.waiting.shift()?.start();
  }
}

interface Entry {
  key: string;
  tag?: string | undefined;
  controller: AbortController;
  start: () => void;
  reject: (error: unknown) => void;
  /** The work once started; shutdown waits for it to stop. */
  done?: Promise<unknown>;
}

function cancelled(): ApiError {
  return new ApiError({ code: 'CANCELLED', message: 'The query was cancelled.' });
}

function shuttingDown(): ApiError {
  return new ApiError({
    code: 'CANCELLED',
    message: 'The query was stopped: the workbench is shutting down.',
  });
}

function timedOut(ms: number): ApiError {
  const minutes = ms / 60_000;
  const span = minutes >= 1 && Number.isInteger(minutes) ? `${minutes} min` : `${Math.round(ms / 1000)} s`;
  return new ApiError({
    code: 'FAILED',
    message: `The query ran longer than ${span} (the query timeout in Settings) and was stopped.`,
  });
}
