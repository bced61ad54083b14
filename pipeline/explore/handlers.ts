import { join } from 'node:path';
import type { exploreCalls } from '../contract/explore';
import type { HandlerMap, WorkbenchContext } from '../workbench-context';
import { DLQ_TOPIC } from '../contract';
import { brokerDlqReader } from './data-quality';
import { DlqResender } from './dlq-resend';
import { ExploreService } from './service';

/** The explore domain: one ExploreService per Workbench, closed with it. */
export function exploreHandlers(ctx: WorkbenchContext): HandlerMap<keyof typeof exploreCalls> {
  const service = new ExploreService({
    lakeDir: () => ctx.lakeDir(),
    configDir: ctx.options.configDir,
    sourceDirs: [ctx.options.resourcesDir, join(ctx.options.configDir, 'generated')],
    warmUserIndex: true,
    readDlq: brokerDlqReader((range) => ctx.broker.messages(range)),
    resender: new DlqResender(
      ctx.options.configDir,
      () => ctx.broker.ensureRunning(),
      async (offset) => {
        const page = await ctx.broker.messages({ topic: DLQ_TOPIC, partition: 0, offset, limit: 1 });
        return page.messages.find((m) => m.offset === offset);
      },
    ),
  });
  ctx.onClose(() => service.dispose());
  return {
    'explore.search': (request) => service.search(request),
    'explore.page': (request) => service.page(request),
    'explore.searches': () => service.searches(),
    'explore.saveSearch': (search) => service.saveSearch(search),
    'explore.deleteSearch': ({ name }) => service.deleteSearch(name),
    'explore.journey': (request) => service.journey(request),
    'lineage.rows': (request) => service.lineage(request),
    'lineage.record': (at) => service.record(at),
    'dq.summary': (range) => service.dataQuality(range),
    'dq.rows': (request) => service.dqRows(request),
    'dq.resend': ({ offset, event, topic }) => service.resend(offset, event, topic),
  };
}
