import type { replayCalls } from '../contract/replay';
import type { HandlerMap, WorkbenchContext } from '../workbench-context';
import { ReplayService } from './run/replay-service';
import { inspectSource } from './sources/inspect';

/** The replay domain's implementation of its calls in the contract. */
export function replayHandlers(ctx: WorkbenchContext): HandlerMap<keyof typeof replayCalls> {
  const service = new ReplayService(ctx);
  return {
    'replay.inspect': ({ path }) => inspectSource(path),
    'replay.start': (options) => service.start(options),
    'replay.pause': () => service.pause(),
    'replay.resume': () => service.resume(),
    'replay.stop': () => service.stop(),
    'replay.status': () => service.status(),
  };
}
