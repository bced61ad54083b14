import type { queryCalls } from '../contract/query';
import type { HandlerMap, WorkbenchContext } from '../workbench-context';

/** The query domain's implementation of its calls in the contract. */
export function queryHandlers(_ctx: WorkbenchContext): HandlerMap<keyof typeof queryCalls> {
  return {};
}
