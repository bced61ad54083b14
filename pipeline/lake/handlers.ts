import type { lakeCalls } from '../contract/lake';
import type { HandlerMap, WorkbenchContext } from '../workbench-context';

/** The lake domain's implementation of its calls in the contract. */
export function lakeHandlers(ctx: WorkbenchContext): HandlerMap<keyof typeof lakeCalls> {
  const service = ctx.stream;
  return {
    'stream.start': (options) => service.start(options),
    'stream.stop': () => service.stop(),
    'stream.status': () => service.status(),
  };
}
