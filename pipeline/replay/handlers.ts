import type { replayCalls } from '../contract/replay';
import type { HandlerMap, WorkbenchContext } from '../workbench-context';
import { inspectSource } from './sources/inspect';

/** The replay domain's implementation of its calls in the contract. */
export function replayHandlers(_ctx: WorkbenchContext): HandlerMap<keyof typeof replayCalls> {
  return {
    'replay.inspect': ({ path }) => inspectSource(path),
  };
}
