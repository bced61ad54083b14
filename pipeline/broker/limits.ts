import type { BrokerConfig } from './config';

/** Defaults of the broker's connection limits (Kafka's names where Kafka has the setting). */
export const DEFAULT_LIMITS = {
  /** connections.max.idle.ms: Kafka's 10 minutes. */
  connectionsMaxIdleMs: 10 * 60 * 1000,
  /** A request (or TLS handshake) begun must be complete within this; Kafka has no such setting. */
  partialFrameTimeoutMs: 30_000,
  /** max.connections (Kafka: unlimited; one desktop needs far fewer). */
  maxConnections: 1000,
  /** queued.max.request.bytes: request bytes held across all connections at once. */
  maxBufferedBytes: 256 * 1024 * 1024,
  /** sasl.server.max.receive.size: the largest frame a connection may send before it has authenticated. */
  saslMaxReceiveBytes: 512 * 1024,
} as const;

/** How often connections are checked against the idle and partial-frame timeouts. */
export function sweepIntervalMs(config: BrokerConfig): number {
  const shortest = Math.min(config.connectionsMaxIdleMs, config.partialFrameTimeoutMs);
  return Math.max(20, Math.min(5000, Math.floor(shortest / 4)));
}

interface Waiter {
  bytes: number;
  grant: () => void;
}

/**
 * The bytes of requests being received, across every connection. A connection reserves a whole frame's size
 * once it has read the frame's length; when the budget cannot hold it, that connection stops reading until
 * earlier frames are handled (Kafka mutes the channel the same way), and its partial-frame timeout keeps
 * running, so ten clients each sending most of a 100 MiB frame hold at most the budget, not a gigabyte.
 */
export class BufferBudget {
  private used = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly capacity: number) {}

  get usedBytes(): number {
    return this.used;
  }

  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Takes `bytes` now and returns true, or queues `grant` (called once they are taken) and returns false. */
  reserve(bytes: number, grant: () => void): boolean {
    if (this.waiting.length === 0 && this.used + bytes <= this.capacity) {
      this.used += bytes;
      return true;
    }
    this.waiting.push({ bytes, grant });
    return false;
  }

  release(bytes: number): void {
    this.used -= bytes;
    while (this.waiting.length > 0 && this.used + (this.waiting[0] as Waiter).bytes <= this.capacity) {
      const next = this.waiting.shift() as Waiter;
      this.used += next.bytes;
      next.grant();
    }
  }

  /** Drops a queued reservation of a connection that closed while waiting. */
  cancel(grant: () => void): void {
    const at = this.waiting.findIndex((w) => w.grant === grant);
    if (at >= 0) this.waiting.splice(at, 1);
    this.release(0);
  }
}
