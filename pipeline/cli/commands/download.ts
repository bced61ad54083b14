import { resolve } from 'node:path';
import { ApiError } from '../../contract/envelope';
import { downloadMonth } from '../../dataset/download';
import { progressLine, ProgressReporter } from '../../dataset/progress';
import { EXIT_USAGE, type Command } from '../command';

// A progress line a second is readable in a terminal and in a CI log alike.
const PROGRESS_INTERVAL_MS = 1000;
const EXIT_INTERRUPTED = 130;

export const downloadCommand: Command = {
  name: 'download',
  summary:
    'Download a month of the REES46 dataset (Open CDP, by REES46) as .csv.gz; resumes an interrupted one.',
  synopsis: 'YYYY-Mon [--out DIR] [--force]',
  options: { out: { type: 'string' }, force: { type: 'boolean' } },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    if (positionals.length !== 1 || !positionals[0]) {
      io.err(`Usage: clickpulse download ${downloadCommand.synopsis}   (months 2019-Oct … 2020-Apr)`);
      return EXIT_USAGE;
    }
    const month = positionals[0];
    const controller = new AbortController();
    void io.stopSignal.then(() => controller.abort());
    const reporter = new ProgressReporter(month, (p) => io.err(progressLine(p)), PROGRESS_INTERVAL_MS);
    try {
      const result = await downloadMonth({
        month,
        outDir: resolve(typeof values.out === 'string' ? values.out : '.'),
        force: values.force === true,
        signal: controller.signal,
        onProgress: (bytes, total) => reporter.update(bytes, total),
      });
      reporter.finish('done');
      io.out(result.path);
      return 0;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      io.err(`clickpulse download: ${message}`);
      if (error instanceof ApiError && error.code === 'CANCELLED') return EXIT_INTERRUPTED;
      return error instanceof ApiError && error.code === 'VALIDATION' ? EXIT_USAGE : 1;
    }
  },
};
