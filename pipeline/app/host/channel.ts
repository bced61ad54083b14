/**
 * The one thing the Workbench host needs from a transport: post a structured-clonable message, receive them.
 * Adapters below fit Node's worker_threads MessagePort, Electron's MessagePortMain / utility parentPort
 * (messages arrive as `{ data }`), and a child_process IPC channel, so the same host code runs in an
 * Electron utility process and in Node tests.
 */
export interface Channel {
  post(message: unknown): void;
  /** Returns a function that stops listening. */
  onMessage(listener: (message: unknown) => void): () => void;
}

interface NodePortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

/** A node:worker_threads MessagePort (or Worker / parentPort): messages arrive as they were posted. */
export function fromNodePort(port: NodePortLike): Channel {
  return {
    post: (message) => port.postMessage(message),
    onMessage: (listener) => {
      port.on('message', listener);
      return () => port.off('message', listener);
    },
  };
}

interface ElectronPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  off?(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  removeListener?(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  start?(): void;
}

/** Electron's MessagePortMain or a utility process's `process.parentPort`: messages arrive as `{ data }`. */
export function fromElectronPort(port: ElectronPortLike): Channel {
  port.start?.();
  return {
    post: (message) => port.postMessage(message),
    onMessage: (listener) => {
      const wrapped = (event: { data: unknown }) => listener(event.data);
      port.on('message', wrapped);
      return () => (port.off ?? port.removeListener)?.call(port, 'message', wrapped);
    },
  };
}

interface ProcessLike {
  send?(message: unknown): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

/** A child_process IPC channel (fork(), or spawn with an 'ipc' stdio), from either end. */
export function fromProcess(proc: ProcessLike): Channel {
  return {
    post: (message) => {
      if (!proc.send) throw new Error('This process has no IPC channel.');
      proc.send(message);
    },
    onMessage: (listener) => {
      proc.on('message', listener);
      return () => proc.off('message', listener);
    },
  };
}
