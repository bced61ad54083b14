import type { lakeCalls } from '../contract/lake';
import type { HandlerMap, WorkbenchContext } from '../workbench-context';

/** The lake domain's implementation of its calls in the contract. */
export function lakeHandlers(_ctx: WorkbenchContext): HandlerMap<keyof typeof lakeCalls> {
  return {};
}
