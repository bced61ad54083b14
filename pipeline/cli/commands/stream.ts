import { resolve } from 'node:path';
import { StreamOptions, type StreamStatus } from '../../contract';
import { defaultConfigDir, dispatch, Workbench } from '../../workbench';
import { APP_VERSION } from '../../version';
import { resourcesDir } from '../app-root';
import { EXIT_USAGE, type Command } from '../command';
import { EXTERNAL_BROKER_OPTIONS, EXTERNAL_BROKER_SYNOPSIS, externalBrokersFromFlags } from '../flags';

const STATUS_EVERY_MS = 5000;

export const streamCommand: Command = {
  name: 'stream',
  summary: 'Run the lake consumer (topic → Bronze → Silver → Gold, or Bronze only) until stopped.',
  synopsis: `--lake DIR ${EXTERNAL_BROKER_SYNOPSIS} [--topic T] [--group G] [--bronze-only] [--config DIR]`,
  options: {
    lake: { type: 'string' },
    ...EXTERNAL_BROKER_OPTIONS,
    topic: { type: 'string' },
    group: { type: 'string' },
    'bronze-only': { type: 'boolean' },
    config: { type: 'string' },
  },
  async run({ values }, io) {
    if (typeof values.lake !== 'string') {
      io.err(`Usage: clickpulse stream ${streamCommand.synopsis}`);
      return EXIT_USAGE;
    }
    const external = externalBrokersFromFlags(values);
    if (typeof external === 'string') {
      io.err(`clickpulse stream: ${external}`);
      return EXIT_USAGE;
    }
    const parsed = StreamOptions.safeParse({
      ...(typeof values.topic === 'string' ? { topic: values.topic } : {}),
      ...(typeof values.group === 'string' ? { groupId: values.group } : {}),
      ...(values['bronze-only'] === true ? { refine: false } : {}),
      ...external,
    });
    if (!parsed.success) {
      io.err(
        `clickpulse stream: ${parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; ')}`,
      );
      return EXIT_USAGE;
    }
    const workbench = new Workbench({
      transport: 'cli',
      configDir: typeof values.config === 'string' ? values.config : defaultConfigDir(),
      lakeDir: resolve(values.lake),
      resourcesDir: resourcesDir(),
      version: APP_VERSION,
    });
    try {
      let last = 0;
      workbench.subscribe((name, payload) => {
        if (name !== 'stream.status' || Date.now() - last < STATUS_EVERY_MS) return;
        last = Date.now();
        io.err(statusLine(payload as StreamStatus));
      });
      const started = await dispatch(workbench, 'stream.start', parsed.data);
      if (!started.ok) {
        io.err(`clickpulse stream: ${started.error.message}`);
        return 1;
      }
      const s = started.value as StreamStatus;
      io.out(
        `Streaming ${s.topic} from ${s.bootstrap} into ${s.lake} (group ${s.groupId}). Ctrl-C stops it.`,
      );
      await io.stopSignal;
      const stopped = await workbench.call('stream.stop', {});
      io.out(statusLine(stopped));
      return stopped.lastError ? 1 : 0;
    } finally {
      await workbench.close();
    }
  },
};

export function statusLine(s: StreamStatus): string {
  const lag = s.partitions.reduce((n, p) => n + (p.lag ?? 0), 0);
  const f = s.freshness;
  const secs = (v: number | null) => (v === null ? '-' : `${v.toFixed(1)} s`);
  const fresh =
    f.bronzeP95 === null
      ? ''
      : `; freshness p50/p95: Bronze ${secs(f.bronzeP50)}/${secs(f.bronzeP95)}${s.refine ? `, Gold ${secs(f.goldP50)}/${secs(f.goldP95)}` : ''}`;
  const silver = s.refine
    ? `Silver ${s.silver.rows} events, ${s.silver.quarantined} quarantined`
    : 'Silver and Gold off (Bronze only)';
  return `${s.state}: Bronze ${s.bronze.rows} rows (${s.bronze.files} files), ${silver}, lag ${lag}${fresh}${s.bottleneck ? `; bottleneck: ${s.bottleneck}` : ''}${s.lostMessages ? `; ${s.lostMessages} messages lost to retention` : ''}${s.lastError ? `; error: ${s.lastError}` : ''}`;
}
