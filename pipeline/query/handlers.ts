import type { queryCalls } from '../contract/query';
import type { HandlerMap, WorkbenchContext } from '../workbench-context';
import { QueryService } from './service';

/** The query domain: one QueryService per Workbench, closed with it. */
export function queryHandlers(ctx: WorkbenchContext): HandlerMap<keyof typeof queryCalls> {
  const service = new QueryService(
    () => ctx.lakeDir(),
    async () => (await ctx.settings.get()).queryTimeoutSeconds,
  );
  ctx.onClose(() => service.dispose());
  return {
    'lake.catalog': () => service.catalog(),
    'query.run': ({ sql, queryId, early }) => service.runSql(sql, queryId, early),
    'query.count': ({ queryId }) => service.rowCount(queryId),
    'query.table': ({ table, queryId }) => service.openTable(table, queryId),
    'query.page': ({ queryId, offset, limit, sort, filters }) =>
      service.page(queryId, offset, limit, sort, filters),
    'query.cancel': ({ queryId }) => service.cancel(queryId),
    'query.close': ({ queryId }) => service.close(queryId),
    'query.summary': ({ queryId, column, filters }) => service.summary(queryId, column, filters),
    'query.save': ({ queryId, path, format, overwrite, csvKeepNumbers, sort, filters, columns }) =>
      service.save(queryId, path, format, overwrite, sort, filters, csvKeepNumbers, columns),
    'query.openFolder': ({ path }) => service.openFolder(path),
  };
}
