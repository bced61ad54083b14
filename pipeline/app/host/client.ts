import type { Envelope, EventName } from '../../contract';
import type { WorkbenchOptions } from '../../workbench-context';
import type { Channel } from './channel';
import type { GrantKind } from '../path-grants';
import { isMessage, type FromHost, type ToHost } from './messages';

export type EventListener = (name: EventName, payload: unknown) => void;
export type AskHandler = (payload: unknown) => Promise<unknown> | unknown;

/**
 * The relay's end (Electron main): the same call/subscribe surface as an in-process Workbench, over a
 * channel to a host. It passes the untrusted name and payload through unchanged (the host validates them),
 * so main needs no knowledge of the contract beyond its shape.
 */
export class WorkbenchClient {
  private nextId = 1;
  private readonly pending = new Map<number, (envelope: Envelope) => void>();
  private readonly grants = new Map<number, () => void>();
  private readonly listeners = new Set<EventListener>();
  private readonly askHandlers = new Map<string, AskHandler>();
  private readonly ready: Promise<void>;
  private closedWaiter: (() => void) | null = null;
  private gone: string | null = null;
  private markGone: () => void = () => undefined;
  private readonly goneSignal = new Promise<void>((r) => (this.markGone = r));
  private readonly stop: () => void;

  constructor(
    private readonly channel: Channel,
    options: WorkbenchOptions,
  ) {
    let markReady: () => void = () => undefined;
    this.ready = new Promise((r) => (markReady = r));
    this.stop = channel.onMessage((raw) => {
      if (!isMessage<FromHost>(raw)) return;
      const message = raw;
      if (message.type === 'ready') markReady();
      else if (message.type === 'reply') {
        this.pending.get(message.id)?.(message.envelope);
        this.pending.delete(message.id);
      } else if (message.type === 'event') {
        for (const listener of this.listeners) listener(message.name, message.payload);
      } else if (message.type === 'granted') {
        this.grants.get(message.id)?.();
        this.grants.delete(message.id);
      } else if (message.type === 'ask') void this.answer(message.id, message.what, message.payload);
      else if (message.type === 'closed') this.closedWaiter?.();
    });
    this.send({ type: 'init', options });
  }

  private send(message: ToHost): void {
    this.channel.post(message);
  }

  /** Same result shape as dispatch(): never throws; a dead host answers FAILED with the reason. */
  async call(name: unknown, payload: unknown): Promise<Envelope> {
    await Promise.race([this.ready, this.goneSignal]);
    if (this.gone) return { ok: false, error: { code: 'FAILED', message: this.gone } };
    return new Promise<Envelope>((resolve) => {
      const id = this.nextId++;
      this.pending.set(id, resolve);
      this.send({ type: 'call', id, name, payload });
    });
  }

  /**
   * Main's native dialog returned this path (or the user dropped it on the window): the Workbench lets the
   * page use it this session. Resolves once the host holds the grant, so the page's next call sees it.
   */
  async grant(path: string, kind: GrantKind): Promise<void> {
    await Promise.race([this.ready, this.goneSignal]);
    if (this.gone) return;
    await new Promise<void>((resolve) => {
      const id = this.nextId++;
      this.grants.set(id, resolve);
      this.send({ type: 'grant', id, path, kind });
    });
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** What main does when the host asks (e.g. 'pick' opens a native dialog). */
  onAsk(what: string, handler: AskHandler): void {
    this.askHandlers.set(what, handler);
  }

  private async answer(id: number, what: string, payload: unknown): Promise<void> {
    const handler = this.askHandlers.get(what);
    try {
      if (!handler) throw new Error(`Nothing here answers "${what}".`);
      this.send({ type: 'answer', id, ok: true, value: await handler(payload) });
    } catch (error) {
      this.send({
        type: 'answer',
        id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** The host process died: pending and later calls answer FAILED instead of hanging. */
  hostExited(reason: string): void {
    this.gone = reason;
    this.markGone();
    for (const resolve of this.pending.values())
      resolve({ ok: false, error: { code: 'FAILED', message: reason } });
    this.pending.clear();
    for (const resolve of this.grants.values()) resolve();
    this.grants.clear();
    this.closedWaiter?.();
  }

  /** Asks the host to close its Workbench (stop the broker, flush Bronze); resolves when it has, or after `timeoutMs`. */
  async shutdown(timeoutMs = 5000): Promise<void> {
    if (this.gone) return;
    const closed = new Promise<void>((r) => (this.closedWaiter = r));
    this.send({ type: 'shutdown' });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    this.stop();
    this.gone = 'The Workbench has shut down.';
    this.markGone();
  }
}
