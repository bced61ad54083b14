import { join } from 'node:path';
import type { historyCalls } from '../../contract/history';
import type { ReplayOptions, ReplayProgress } from '../../contract';
import type { HandlerMap, WorkbenchContext } from '../../workbench-context';
import { inspectSource } from '../sources/inspect';
import { CheckpointStore } from '../run/checkpoint';
import { resumeKey } from '../run/resume-key';
import { RunHistory } from './run-history';
import { RunStore } from './run-store';

/** The run history's calls, and the hook replay.start uses to tell it a run's target pace. */
export function historyHandlers(ctx: WorkbenchContext): {
  handlers: HandlerMap<keyof typeof historyCalls>;
  started: (options: ReplayOptions, progress: ReplayProgress) => void;
} {
  const history = new RunHistory(new RunStore(join(ctx.options.configDir, 'run-history')));
  const off = ctx.subscribe(history.onEvent);
  ctx.onClose(() => {
    off();
    history.close();
  });
  const checkpoints = new CheckpointStore(join(ctx.options.configDir, 'replay-checkpoints'));
  return {
    started: (options, progress) => history.begin(progress.runId, options),
    handlers: {
      'replay.history': ({ limit }) => history.list(limit),
      'replay.series': ({ runId }) => history.series(runId),
      'replay.resumePoint': async (request) => {
        const proposed = request.mapping ? null : await inspectSource(request.path);
        const mapping = request.mapping ?? proposed?.mapping ?? {};
        const constant =
          request.constantEventType !== undefined
            ? request.constantEventType
            : (proposed?.constantEventType ?? null);
        let key: string;
        try {
          key = resumeKey(request, mapping, constant);
        } catch {
          return null; // the file is gone: nothing to resume
        }
        const saved = checkpoints.load(key);
        if (!saved || saved.rowsDone <= 0) return null;
        return {
          rowsDone: saved.rowsDone,
          estimatedRows: saved.estimatedRows ?? null,
          completed: saved.completed,
          updatedAt: saved.updatedAt,
        };
      },
    },
  };
}
