import type { sinkCalls } from '../contract/sink';
import type { HandlerMap, WorkbenchContext } from '../workbench-context';
import { SinkService } from './postgres/service';

/** The sinks domain: one PostgreSQL sink per Workbench, stopped when the Workbench closes. */
export function sinkHandlers(ctx: WorkbenchContext): HandlerMap<keyof typeof sinkCalls> {
  const service = new SinkService({
    lakeDir: () => ctx.lakeDir(),
    configDir: ctx.options.configDir,
    ...(ctx.options.secrets ? { secrets: ctx.options.secrets } : {}),
    emit: (status) => ctx.emit('sink.status', status),
  });
  ctx.onClose(async () => {
    await service.stop();
  });
  return {
    'sink.postgres.test': ({ target }) => service.test(target),
    'sink.postgres.start': (options) => service.start(options),
    'sink.postgres.stop': () => service.stop(),
    'sink.postgres.status': () => service.status(),
    'sink.postgres.sync': (options) => service.syncOnce(options),
    'sink.postgres.rebuild': async (options) => ({ tables: await service.rebuild(options) }),
    'sink.postgres.config': async () => ({ options: await service.config() }),
    'sink.postgres.savePassword': async ({ target, password }) => {
      await service.savePassword(target, password);
      return { saved: true };
    },
  };
}
