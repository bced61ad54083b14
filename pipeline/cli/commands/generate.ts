import { generateDataset } from '../../replay/generator/generate';
import { EXIT_USAGE, type Command } from '../command';

export const generateCommand: Command = {
  name: 'generate',
  summary: 'Write a synthetic clickstream shaped after the REES46 dataset (Open CDP), deterministically.',
  synopsis: '--rows N [--seed S] [--start 2019-10-01] [--days D] --out FILE.csv[.gz] [--force]',
  options: {
    rows: { type: 'string' },
    seed: { type: 'string' },
    start: { type: 'string' },
    days: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
  },
  async run({ values }, io) {
    if (typeof values.rows !== 'string' || typeof values.out !== 'string') {
      io.err(`Usage: clickpulse generate ${generateCommand.synopsis}`);
      return EXIT_USAGE;
    }
    const whole = (text: string) => (/^\d+$/.test(text) ? Number(text) : Number.NaN);
    const started = performance.now();
    try {
      const result = await generateDataset({
        rows: whole(values.rows),
        ...(typeof values.seed === 'string' ? { seed: whole(values.seed) } : {}),
        ...(typeof values.start === 'string' ? { start: values.start } : {}),
        ...(typeof values.days === 'string' ? { days: whole(values.days) } : {}),
        out: values.out,
        force: values.force === true,
      });
      const seconds = (performance.now() - started) / 1000;
      io.out(`${result.path}: ${result.rows} rows, ${result.bytes} bytes in ${seconds.toFixed(1)} s`);
      return 0;
    } catch (error) {
      io.err(`clickpulse generate: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
  },
};
