import { join } from 'node:path';
import { utilityProcess } from 'electron';
import { fromNodePort } from '../pipeline/app/host/channel';
import { WorkbenchClient } from '../pipeline/app/host/client';
import type { WorkbenchOptions } from '../pipeline/workbench';

/**
 * Starts the Workbench in an Electron utility process (out/main/workbench-host.js) and returns the relay's
 * client: main keeps windows, menus and dialogs; the pipeline (broker, replay, lake stream, DuckDB) runs
 * there, so no window waits on it. Everything but this fork is pipeline/app/host/, tested in Node.
 */
export function startWorkbenchProcess(options: WorkbenchOptions): WorkbenchClient {
  const child = utilityProcess.fork(join(__dirname, 'workbench-host.js'), [], {
    serviceName: 'ClickPulse Workbench',
    stdio: 'inherit',
  });
  // UtilityProcess posts and emits messages as they are (like a worker_threads port).
  const client = new WorkbenchClient(fromNodePort(child), options);
  child.once('exit', (code) => client.hostExited(`The Workbench process ended (exit code ${code}).`));
  return client;
}
