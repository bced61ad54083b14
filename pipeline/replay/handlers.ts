import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { historyCalls } from '../contract/history';
import type { replayCalls } from '../contract/replay';
import type { HandlerMap, WorkbenchContext } from '../workbench-context';
import { generateDataset } from './generator/generate';
import { historyHandlers } from './history/handlers';
import { ReplayService } from './run/replay-service';
import { inspectSource } from './sources/inspect';

/** The replay domain's implementation of its calls in the contract. */
export function replayHandlers(
  ctx: WorkbenchContext,
): HandlerMap<keyof typeof replayCalls | keyof typeof historyCalls> {
  const service = new ReplayService(ctx);
  const history = historyHandlers(ctx);
  return {
    ...history.handlers,
    'replay.inspect': ({ path }) => inspectSource(path),
    'replay.start': async (options) => {
      const progress = await service.start(options);
      history.started(options, progress);
      return progress;
    },
    'replay.pause': () => service.pause(),
    'replay.resume': () => service.resume(),
    'replay.stop': () => service.stop(),
    'replay.status': () => service.status(),
    'replay.generate': async ({ rows, seed = 1, start = '2019-10-01' }) => {
      const dir = join(ctx.options.configDir, 'generated');
      await mkdir(dir, { recursive: true });
      // The name carries every argument: the generator is deterministic, so an existing file is the same data
      // (and it only appears once complete: the generator renames a finished temp file).
      const out = join(dir, `synthetic-${rows}-rows-seed-${seed}-from-${start}.csv`);
      const existing = await stat(out).catch(() => undefined);
      if (existing) return { path: out, rows, bytes: existing.size };
      return generateDataset({ rows, seed, start, out });
    },
  };
}
