import { parentPort } from 'node:worker_threads';
import { Broker } from '../broker';
import { PortInUseError } from '../port-in-use';
import type { HostRequest, HostValue, WorkerMessage } from './messages';

// The broker's own thread: a busy broker never stalls the app's main thread or the UI.
const port = parentPort;
if (!port) throw new Error('worker-entry runs only as a worker thread');

let broker: Broker | null = null;
const post = (m: WorkerMessage) => port.postMessage(m);

port.on('message', (req: HostRequest) => {
  void answer(req).then(
    (value) => post({ type: 'reply', id: req.id, ok: true, value }),
    (err: unknown) =>
      post({
        type: 'reply',
        id: req.id,
        ok: false,
        error: {
          name: err instanceof Error ? err.name : 'Error',
          message: err instanceof Error ? err.message : String(err),
          freePort: err instanceof PortInUseError ? err.freePort : null,
        },
      }),
  );
});

async function answer(req: HostRequest): Promise<HostValue> {
  switch (req.op) {
    case 'start':
      broker = await Broker.start(req.config, (level, message) => post({ type: 'log', level, message }));
      return { ...broker.address, ...broker.security };
    case 'overview':
      return broker ? { topics: broker.topics(), groups: broker.groups(), stats: broker.stats() } : null;
    case 'messages':
      if (!broker) throw new Error('The broker is not running.');
      return broker.messages(req.range);
    case 'resetOffsets':
      if (!broker) throw new Error('The broker is not running.');
      return broker.resetOffsets(req.reset);
    case 'admin': {
      if (!broker) throw new Error('The broker is not running.');
      const { topic, result } = await broker.admin.run(req.call);
      const info = topic === undefined ? null : (broker.topics().find((t) => t.name === topic) ?? null);
      return { topic: info, result: result ?? null };
    }
    case 'stop':
      await broker?.stop();
      broker = null;
      return null;
  }
}
