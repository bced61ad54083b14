import { dispatch, Workbench, type WorkbenchOptions } from '../../workbench';
import type { Channel } from './channel';
import { isMessage, type FromHost, type ToHost } from './messages';
import { relayedSecretStore } from './relayed-secrets';

export interface HostedWorkbench {
  workbench: Workbench;
  /** Asks the relay for something only it can do (e.g. 'pick': a native dialog); resolves with its answer. */
  ask(what: string, payload: unknown): Promise<unknown>;
  /** Resolves once a 'shutdown' message has closed the Workbench. */
  closed: Promise<void>;
}

/**
 * Hosts one Workbench on a channel: waits for 'init' (its options), then serves contract calls through
 * dispatch() (the same validation as every other transport), forwards every Workbench event, and closes the
 * Workbench on 'shutdown'. The Electron utility process runs exactly this (utility-entry.ts); Node tests run
 * it over a worker_threads MessageChannel and a child_process channel.
 */
export function hostWorkbench(
  channel: Channel,
  create: (options: WorkbenchOptions, ask: HostedWorkbench['ask']) => Workbench = (options, ask) =>
    // The desktop app's keychain lives in main: passwords go there through the relay, never to settings.
    new Workbench(
      options.transport === 'electron' ? { ...options, secrets: relayedSecretStore(ask) } : options,
    ),
): Promise<HostedWorkbench> {
  const send = (message: FromHost) => channel.post(message);
  return new Promise((resolveHosted) => {
    let workbench: Workbench | undefined;
    let nextAsk = 1;
    const asks = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
    let markClosed: () => void = () => undefined;
    const closed = new Promise<void>((r) => (markClosed = r));
    const ask = (what: string, payload: unknown) =>
      new Promise<unknown>((resolve, reject) => {
        const id = nextAsk++;
        asks.set(id, { resolve, reject });
        send({ type: 'ask', id, what, payload });
      });

    const stop = channel.onMessage((raw) => {
      if (!isMessage<ToHost>(raw)) return;
      const message = raw;
      if (message.type === 'init') {
        if (workbench) return; // one Workbench per host
        const created = create(message.options, ask);
        workbench = created;
        created.subscribe((name, payload) => send({ type: 'event', name, payload }));
        send({ type: 'ready' });
        resolveHosted({ workbench: created, ask, closed });
      } else if (message.type === 'call') {
        const { id } = message;
        if (!workbench) {
          send({
            type: 'reply',
            id,
            envelope: { ok: false, error: { code: 'FAILED', message: 'The Workbench is not started yet.' } },
          });
          return;
        }
        void dispatch(workbench, message.name, message.payload).then((envelope) =>
          send({ type: 'reply', id, envelope }),
        );
      } else if (message.type === 'grant') {
        // Only main posts on this channel, and it grants only what its own dialog returned (main/ipc.ts).
        const { id, path, kind } = message;
        const granted = workbench
          ? workbench.paths.grants.grant(String(path), kind === 'folder' ? 'folder' : 'file')
          : Promise.resolve();
        void granted.catch(() => undefined).then(() => send({ type: 'granted', id }));
      } else if (message.type === 'answer') {
        const pending = asks.get(message.id);
        asks.delete(message.id);
        if (!pending) return;
        if (message.ok) pending.resolve(message.value);
        else pending.reject(new Error(message.message ?? 'The request was refused.'));
      } else if (message.type === 'shutdown') {
        stop();
        for (const pending of asks.values()) pending.reject(new Error('The Workbench is shutting down.'));
        asks.clear();
        void (workbench?.close() ?? Promise.resolve()).finally(() => {
          send({ type: 'closed' });
          markClosed();
        });
      }
    });
  });
}
