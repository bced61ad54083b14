import { fromElectronPort, fromProcess, type Channel } from './channel';
import { hostWorkbench } from './serve';

/*
 * Entry of the process that hosts the Workbench (out/main/workbench-host.js), so the pipeline never runs on
 * Electron's main thread. In the app it is an Electron utility process and talks over `process.parentPort`
 * (Electron's; no electron import). Forked by plain Node with an IPC channel (the Node-side tests), the same
 * bundle talks over that channel instead.
 */
function parentChannel(): Channel {
  const parentPort = (process as unknown as { parentPort?: Parameters<typeof fromElectronPort>[0] })
    .parentPort;
  if (parentPort) return fromElectronPort(parentPort);
  if (process.send) return fromProcess(process);
  throw new Error('workbench-host.js runs as an Electron utility process or a forked child with IPC.');
}

const hosted = await hostWorkbench(parentChannel());
await hosted.closed;
process.exit(0);
