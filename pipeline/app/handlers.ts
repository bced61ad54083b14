import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HandlerMap, WorkbenchContext } from '../workbench-context';
import type { appCalls } from '../contract';
import { listDirectory } from './files';

export function appHandlers(ctx: WorkbenchContext): HandlerMap<keyof typeof appCalls> {
  return {
    'app.info': async () => {
      const sample = join(ctx.options.resourcesDir, 'rees46-2019-oct-head1000.csv');
      return {
        name: 'ClickPulse Workbench',
        version: ctx.options.version,
        transport: ctx.options.transport,
        lakeDir: await ctx.lakeDir(),
        sampleDataset: existsSync(sample) ? sample : null,
        platform: `${process.platform}-${process.arch}`,
        nodeVersion: process.versions.node,
      };
    },
    'settings.get': () => ctx.settings.get(),
    'files.list': async ({ path, extensions, foldersOnly }) => {
      const listing = await listDirectory(path, extensions, foldersOnly);
      await ctx.paths.grants.listedFolder(listing.path);
      return listing;
    },
    'files.pick': async ({ path, mode, purpose }) => ({
      path: await ctx.paths.picked(path, mode, purpose),
    }),
    'settings.update': async (patch) => {
      const next = await ctx.settings.update(patch);
      ctx.emit('settings.changed', next);
      return next;
    },
  };
}
