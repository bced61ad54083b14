import { parentPort } from 'node:worker_threads';
import { LakeStream } from '../lake-stream';
import type { LakeRequest, LakeWorkerMessage } from './messages';

// The lake consumer's own thread: fetching, Bronze, Silver and Gold never stall the Workbench's thread.
const port = parentPort;
if (!port) throw new Error('lake-worker runs only as a worker thread');

const post = (m: LakeWorkerMessage) => port.postMessage(m);
let stream: LakeStream | null = null;

// An error nothing caught would end this thread at once, and a thread ended while DuckDB works in it aborts
// the whole process (node-addon-api cannot throw into a dying thread: "terminate called after throwing an
// instance of 'Napi::Error'"). It fails the stream instead; the Workbench then stops the thread the orderly
// way, once Bronze and the refiner are idle.
process.on('uncaughtException', (error) => {
  if (!stream) {
    console.error(error);
    process.exit(1);
  }
  stream.fail(error);
});

port.on('message', (req: LakeRequest) => {
  void answer(req).then(
    (value) => post({ type: 'reply', id: req.id, ok: true, value }),
    (err: unknown) =>
      post({ type: 'reply', id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});

async function answer(req: LakeRequest) {
  switch (req.op) {
    case 'start': {
      const s = req.setup;
      stream = new LakeStream(
        s.lake,
        s.options,
        s.target,
        (status) => post({ type: 'status', status }),
        s.bronze,
        s.compaction,
        s.compactEveryMs,
      );
      stream.onBronzeAdvance = (positions) => post({ type: 'position', positions: [...positions] });
      return stream.start();
    }
    case 'caughtUp':
      if (!stream) throw new Error('The lake consumer is not running.');
      await stream.caughtUp(new Map(req.ends), req.timeoutMs);
      return stream.current();
    case 'pause':
      stream?.pause();
      return null;
    case 'resume':
      stream?.resume();
      return null;
    case 'stop':
      return stream ? stream.stop() : null;
  }
}
