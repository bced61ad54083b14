import type { TopicStore } from '../core/topic-store';

interface Waiter {
  keys: Set<string>;
  wake: () => void;
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/** Long-poll support: a Fetch without enough data parks here until one of its partitions grows. */
export class FetchWaiters {
  private readonly waiting = new Set<Waiter>();
  private readonly unsubscribe: () => void;

  constructor(topics: TopicStore) {
    this.unsubscribe = topics.onAppend((topic, partition) => {
      const key = partitionKey(topic, partition);
      for (const w of this.waiting) if (w.keys.has(key)) w.wake();
    });
  }

  /** Resolves when a watched partition gets an append, after `ms`, or when `signal` aborts. */
  wait(keys: Set<string>, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const waiter: Waiter = { keys, wake: () => done() };
      const timer = setTimeout(() => done(), Math.max(0, ms));
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(waiter);
        signal.removeEventListener('abort', done);
        resolve();
      };
      if (signal.aborted) return done();
      signal.addEventListener('abort', done);
      this.waiting.add(waiter);
    });
  }

  get size(): number {
    return this.waiting.size;
  }

  close(): void {
    for (const w of [...this.waiting]) w.wake();
    this.unsubscribe();
  }
}
