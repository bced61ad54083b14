import type { brokerCalls } from '../contract/broker';
import type { HandlerMap, WorkbenchContext } from '../workbench-context';

/** The broker domain's implementation of its calls in the contract. */
export function brokerHandlers(_ctx: WorkbenchContext): HandlerMap<keyof typeof brokerCalls> {
  return {};
}
