import type { dashboardCalls } from '../contract/dashboard';
import type { HandlerMap, WorkbenchContext } from '../workbench-context';
import { DashboardService } from './service';

/** The dashboards domain: one DashboardService per Workbench, closed with it. */
export function dashboardHandlers(ctx: WorkbenchContext): HandlerMap<keyof typeof dashboardCalls> {
  const service = new DashboardService(() => ctx.lakeDir());
  ctx.onClose(() => service.dispose());
  return { 'dashboard.snapshot': (filters) => service.snapshot(filters) };
}
