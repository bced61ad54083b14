import { decodeWire, encodeWire, type Envelope, type WireServerMessage } from '../../../pipeline/contract';

/** What the page needs from a transport; Electron's preload and the browser bridge both provide it. */
export interface Transport {
  kind: 'electron' | 'web';
  call(name: string, payload: unknown): Promise<Envelope>;
  on(name: string, listener: (payload: unknown) => void): () => void;
  onConnection?(listener: (connected: boolean) => void): () => void;
}

export interface PickOptions {
  mode: 'file' | 'folder' | 'save';
  title: string;
  filters?: { name: string; extensions: string[] }[];
  /** 'tls': a certificate, key or CA, which the browser mode's picker otherwise refuses (files.pick). */
  purpose?: 'tls';
}

interface PreloadApi {
  transport: 'electron';
  call(name: string, payload: unknown): Promise<Envelope>;
  on(name: string, listener: (payload: unknown) => void): () => void;
  pick(options: PickOptions): Promise<string | null>;
  /** The dropped file's path, granted to the page like a dialog's choice ('' if it is not on disk). */
  pathForFile(file: File): Promise<string>;
}

/** The desktop-only extras (native dialogs, dropped files' paths), or undefined in browser mode. */
export function desktop(): Pick<PreloadApi, 'pick' | 'pathForFile'> | undefined {
  return window.clickpulse;
}

declare global {
  interface Window {
    clickpulse?: PreloadApi;
  }
}

export function detectTransport(): Transport {
  const preload = window.clickpulse;
  if (preload) return { kind: 'electron', call: preload.call, on: preload.on };
  forgetToken();
  // The bridge set an HttpOnly cookie with the first page load; the browser sends it with the WebSocket.
  return new BridgeTransport(`ws://${window.location.host}/api`);
}

/**
 * The token printed by "clickpulse web" opened the first page; the cookie it set is all later requests
 * need, so it is taken out of the address bar and the history entry (no shoulder-surfing, no shared URL).
 */
function forgetToken(): void {
  const url = new URL(window.location.href);
  if (!url.searchParams.has('token')) return;
  url.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
}

/** The loopback bridge: one WebSocket, requests matched to answers by id, reconnecting with backoff. */
class BridgeTransport implements Transport {
  readonly kind = 'web' as const;
  private socket: WebSocket | undefined;
  private ready: Promise<WebSocket> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (envelope: Envelope) => void>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly connectionListeners = new Set<(connected: boolean) => void>();
  private retryMs = 250;

  constructor(private readonly url: string) {
    void this.connect().catch(() => undefined);
  }

  async call(name: string, payload: unknown): Promise<Envelope> {
    const socket = await this.connect();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      socket.send(encodeWire({ id, call: name, payload }));
    });
  }

  on(name: string, listener: (payload: unknown) => void): () => void {
    const set = this.listeners.get(name) ?? new Set();
    set.add(listener);
    this.listeners.set(name, set);
    return () => set.delete(listener);
  }

  onConnection(listener: (connected: boolean) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  private connect(): Promise<WebSocket> {
    if (this.ready) return this.ready;
    this.ready = new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url);
      socket.binaryType = 'arraybuffer';
      socket.onopen = () => {
        this.socket = socket;
        this.retryMs = 250;
        this.connectionListeners.forEach((l) => l(true));
        resolve(socket);
      };
      socket.onmessage = (message: MessageEvent<string | ArrayBuffer>) => {
        const data = typeof message.data === 'string' ? message.data : new Uint8Array(message.data);
        this.receive(decodeWire(data) as WireServerMessage);
      };
      socket.onclose = () => {
        const wasOpen = this.socket === socket;
        this.socket = undefined;
        this.ready = undefined;
        for (const [id, resolvePending] of this.pending) {
          resolvePending({
            ok: false,
            error: { code: 'FAILED', message: 'Lost the connection to the workbench.' },
          });
          this.pending.delete(id);
        }
        this.connectionListeners.forEach((l) => l(false));
        if (!wasOpen) reject(new Error('Cannot reach the workbench (is "clickpulse web" still running?).'));
        setTimeout(() => void this.connect().catch(() => undefined), this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, 5000);
      };
    });
    return this.ready;
  }

  private receive(message: WireServerMessage): void {
    if ('event' in message) {
      this.listeners.get(message.event)?.forEach((listener) => listener(message.payload));
      return;
    }
    const resolve = this.pending.get(message.id);
    if (!resolve) return;
    this.pending.delete(message.id);
    resolve(message.ok ? { ok: true, value: message.value } : { ok: false, error: message.error as never });
  }
}
