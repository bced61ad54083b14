import type { exportCalls } from '../contract/export';
import type { HandlerMap, WorkbenchContext } from '../workbench-context';

/** The export domain's implementation of its calls in the contract. */
export function exportHandlers(_ctx: WorkbenchContext): HandlerMap<keyof typeof exportCalls> {
  return {};
}
