import type { datasetCalls } from '../contract/dataset';
import type { HandlerMap, WorkbenchContext } from '../workbench-context';

/** The dataset domain's implementation of its calls in the contract. */
export function datasetHandlers(_ctx: WorkbenchContext): HandlerMap<keyof typeof datasetCalls> {
  return {};
}
