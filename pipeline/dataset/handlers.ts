import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ApiError } from '../contract/envelope';
import type { datasetCalls } from '../contract/dataset';
import type { HandlerMap, WorkbenchContext } from '../workbench-context';
import { downloadMonth } from './download';
import { parseMonth, REES46_MONTHS, resolveBaseUrl } from './months';
import { ProgressReporter } from './progress';

/** Where the app saves months when the user picks no folder. */
export function defaultDownloadDir(): string {
  return join(homedir(), 'ClickPulse', 'datasets');
}

/** The dataset domain's implementation of its calls in the contract. */
export function datasetHandlers(ctx: WorkbenchContext): HandlerMap<keyof typeof datasetCalls> {
  // One download per month at a time; cancelDownload and closing the Workbench abort through these.
  const running = new Map<string, AbortController>();
  ctx.onClose(() => {
    for (const controller of running.values()) controller.abort();
  });

  return {
    'dataset.downloadDefaults': () => ({
      months: [...REES46_MONTHS],
      outDir: defaultDownloadDir(),
      sourceUrl: resolveBaseUrl(),
    }),

    'dataset.download': async ({ month: text, outDir, force, baseUrl }) => {
      let month: string;
      try {
        month = parseMonth(text);
      } catch (error) {
        throw new ApiError({ code: 'VALIDATION', message: (error as Error).message });
      }
      if (running.has(month)) {
        throw new ApiError({ code: 'CONFLICT', message: `${month} is already being downloaded.` });
      }
      const controller = new AbortController();
      running.set(month, controller);
      const reporter = new ProgressReporter(month, (p) => ctx.emit('dataset.downloadProgress', p));
      try {
        const result = await downloadMonth({
          month,
          outDir: resolve(outDir ?? defaultDownloadDir()),
          baseUrl,
          force,
          signal: controller.signal,
          onProgress: (bytes, total) => reporter.update(bytes, total),
        });
        reporter.update(result.bytes, result.bytes);
        reporter.finish('done');
        return result;
      } catch (error) {
        reporter.finish(error instanceof ApiError && error.code === 'CANCELLED' ? 'cancelled' : 'failed');
        throw error;
      } finally {
        running.delete(month);
      }
    },

    'dataset.cancelDownload': ({ month }) => {
      const controller = running.get(month) ?? running.get(safeMonth(month));
      controller?.abort();
      return { cancelled: controller !== undefined };
    },
  };
}

function safeMonth(text: string): string {
  try {
    return parseMonth(text);
  } catch {
    return text;
  }
}
