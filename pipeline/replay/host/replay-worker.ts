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
let fatal: string | null = null;

// An error nothing caught would end this thread at once, and a thread ended while DuckDB reads in it aborts
// the whole process. It stops the run instead (the scan ends, DuckDB is closed), which then finishes as
// failed with that error; the host ends the thread after 'finished'.
process.on('uncaughtException', (error) => {
  fatal ??= error instanceof Error ? error.message : String(error);
  if (!run) {
    console.error(error);
    process.exit(1);
  }
  void run.stop();
});

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
      void run.finished.then((progress) =>
        post({
          type: 'finished',
          progress: fatal ? { ...progress, state: 'failed', error: fatal } : progress,
        }),
      );
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
