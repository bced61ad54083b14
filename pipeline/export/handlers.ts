import { ApiError } from '../contract/envelope';
import type { exportCalls } from '../contract/export';
import type { HandlerMap, WorkbenchContext } from '../workbench-context';
import { goldSources } from './gold-tables';
import { exportGold } from './service';

/** The export domain: exports run one per id and can be cancelled by it; progress goes out as events. */
export function exportHandlers(ctx: WorkbenchContext): HandlerMap<keyof typeof exportCalls> {
  const running = new Map<string, AbortController>();
  let nextId = 1;
  ctx.onClose(() => {
    for (const controller of running.values()) controller.abort();
  });
  return {
    'export.tables': async () => {
      const lakeDir = await ctx.lakeDir();
      const tables = await goldSources(lakeDir);
      return { lakeDir, tables: tables.map(({ read: _read, ...table }) => table) };
    },
    'export.run': async ({ exportId = `export-${nextId++}`, ...options }) => {
      if (running.has(exportId)) {
        throw new ApiError({ code: 'CONFLICT', message: `Export ${exportId} is already running.` });
      }
      const controller = new AbortController();
      running.set(exportId, controller);
      try {
        return await exportGold(await ctx.lakeDir(), options, {
          signal: controller.signal,
          onProgress: (p) => ctx.emit('export.progress', { exportId, ...p }),
        });
      } finally {
        running.delete(exportId);
      }
    },
    'export.cancel': ({ exportId }) => {
      const controller = running.get(exportId);
      controller?.abort();
      return { cancelled: controller !== undefined };
    },
  };
}
