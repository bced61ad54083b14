import type { replayCalls } from '../contract/replay';
import type { HandlerMap, WorkbenchContext } from '../workbench-context';

/** The replay domain's implementation of its calls in the contract. */
export function replayHandlers(_ctx: WorkbenchContext): HandlerMap<keyof typeof replayCalls> {
  return {};
}
