import { parentPort } from 'node:worker_threads';
import { CheckpointStore } from '../run/checkpoint';
import { systemClock } from '../run/pacer';
import { ReplayProducer } from '../run/replay-producer';
import { ReplayRun } from '../run/replay-run';
import type { ReplayRequest, ReplayWorkerMessage } from './messages';

// The replay's own thread: reading the file (DuckDB), framing record batches and producing never run on
// the Workbench's thread.
const port = parentPort;
if (!port) throw new Error('replay-worker runs only as a worker thread');

const post = (m: ReplayWorkerMessage) => port.postMessage(m);
let run: ReplayRun | null = null;
let bronze: Map<number, number> | null = null;

port.on('message', (req: ReplayRequest) => {
  switch (req.op) {
    case 'start': {
      const s = req.setup;
      run = new ReplayRun(s.options, s.target, {
        runId: s.runId,
        clock: systemClock,
        checkpoints: new CheckpointStore(s.checkpointsDir),
        openProducer: (t, topic, partitions, settings) => ReplayProducer.open(t, topic, partitions, settings),
        onProgress: (progress) => post({ type: 'progress', progress }),
        ...(s.throttled ? { bronzePosition: () => bronze } : {}),
      });
      void run.finished.then((progress) => post({ type: 'finished', progress }));
      return;
    }
    case 'pause':
      run?.pause();
      return;
    case 'resume':
      run?.resume();
      return;
    case 'stop':
      void run?.stop();
      return;
    case 'position':
      bronze = req.positions ? new Map(req.positions) : null;
      return;
  }
});
