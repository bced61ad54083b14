import { buildGold, buildSilver, DEFAULT_TOPIC } from '../../lake/build';
import { EXIT_USAGE, type Command } from '../command';

export const buildCommand: Command = {
  name: 'build',
  summary: 'Rebuild a lake layer from the one below, atomically (silver from bronze, gold from silver).',
  synopsis: 'silver|gold|all --lake DIR [--topic T]',
  options: { lake: { type: 'string' }, topic: { type: 'string' } },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    const [layer] = positionals;
    if (
      typeof values.lake !== 'string' ||
      positionals.length !== 1 ||
      !['silver', 'gold', 'all'].includes(layer ?? '')
    ) {
      io.err('Usage: clickpulse build silver|gold|all --lake DIR [--topic T]');
      return EXIT_USAGE;
    }
    const topic = typeof values.topic === 'string' ? values.topic : DEFAULT_TOPIC;
    try {
      if (layer === 'silver' || layer === 'all') {
        const s = await buildSilver(values.lake, topic);
        io.out(
          `silver: ${s.events} events from ${s.bronzeRows} Bronze messages; ${s.quarantined} quarantined`,
        );
      }
      if (layer === 'gold' || layer === 'all') {
        const tables = await buildGold(values.lake);
        for (const [table, rows] of Object.entries(tables)) io.out(`gold.${table}: ${rows} rows`);
      }
      return 0;
    } catch (error) {
      io.err(`clickpulse build: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
  },
};
