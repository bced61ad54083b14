import type { brokerCalls } from '../contract/broker';
import type { HandlerMap, WorkbenchContext } from '../workbench-context';

/** The broker domain's implementation of its calls in the contract. */
export function brokerHandlers(ctx: WorkbenchContext): HandlerMap<keyof typeof brokerCalls> {
  const service = ctx.broker;
  return {
    'broker.status': () => service.current(),
    'broker.start': ({ port, security }) => service.start(port, security),
    'broker.stop': () => service.stop(),
    'broker.overview': () => service.overview(),
    'broker.messages': (range) => service.messages(range),
    'broker.resetOffsets': (reset) => service.resetOffsets(reset),
    'broker.createTopic': (request) => service.createTopic(request),
    'broker.deleteTopic': ({ name }) => service.deleteTopic(name),
    'broker.addPartitions': (request) => service.addPartitions(request),
    'broker.deleteRecords': (request) => service.deleteRecords(request),
    'broker.deleteGroup': ({ groupId }) => service.deleteGroup(groupId),
    'broker.setTopicConfig': (request) => service.setTopicConfig(request),
  };
}
