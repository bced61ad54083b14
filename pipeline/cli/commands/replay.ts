import { resolve } from 'node:path';
import { ReplayOptions, type ReplayProgress } from '../../contract';
import { defaultConfigDir, dispatch, Workbench } from '../../workbench';
import { APP_VERSION } from '../../version';
import { resourcesDir } from '../app-root';
import { EXIT_USAGE, type Command } from '../command';
import {
  EXTERNAL_BROKER_OPTIONS,
  EXTERNAL_BROKER_SYNOPSIS,
  externalBrokersFromFlags,
  parsePort,
} from '../flags';
import { goldRowCounts as goldRows } from '../../lake/gold/row-counts';
import { statusLine } from './stream';

const PROGRESS_EVERY_MS = 2000;

export const replayCommand: Command = {
  name: 'replay',
  summary: 'Replay a clickstream file onto a Kafka topic (the embedded broker unless --brokers).',
  synopsis: `FILE [--lake DIR [--bronze-only]] [--speed max|FACTOR] [--rate N] [--topic T] [--partitions P] ${EXTERNAL_BROKER_SYNOPSIS} [--key user_id|user_session|none] [--limit N] [--from ISO] [--to ISO] [--order file|event-time] [--restart] [--compression none|gzip|lz4] [--producer lean|kafkajs] [--retention-bytes N] [--ahead-of-bronze SECONDS|unthrottled] [--broker-data DIR] [--broker-port P]`,
  options: {
    speed: { type: 'string' },
    rate: { type: 'string' },
    topic: { type: 'string' },
    partitions: { type: 'string' },
    ...EXTERNAL_BROKER_OPTIONS,
    key: { type: 'string' },
    limit: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    order: { type: 'string' },
    restart: { type: 'boolean' },
    compression: { type: 'string' },
    producer: { type: 'string' },
    'retention-bytes': { type: 'string' },
    'ahead-of-bronze': { type: 'string' },
    'broker-data': { type: 'string' },
    'broker-port': { type: 'string' },
    config: { type: 'string' },
    lake: { type: 'string' },
    'bronze-only': { type: 'boolean' },
  },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    const [file, ...extra] = positionals;
    if (!file || extra.length) {
      io.err(`Usage: clickpulse replay ${replayCommand.synopsis}`);
      return EXIT_USAGE;
    }
    const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
    const number = (name: string) => (text(name) === undefined ? undefined : Number(text(name)));
    const speed = text('speed');
    const external = externalBrokersFromFlags(values);
    if (typeof external === 'string') {
      io.err(`clickpulse replay: ${external}`);
      return EXIT_USAGE;
    }
    const parsed = ReplayOptions.safeParse({
      path: resolve(file),
      ...(speed !== undefined ? { speed: speed === 'max' ? 'max' : Number(speed.replace(/^x/i, '')) } : {}),
      ...(text('rate') !== undefined ? { rate: number('rate') } : {}),
      ...(text('topic') !== undefined ? { topic: text('topic') } : {}),
      ...(text('partitions') !== undefined ? { partitions: number('partitions') } : {}),
      ...external,
      ...(text('key') !== undefined ? { key: text('key') } : {}),
      ...(text('limit') !== undefined ? { limit: number('limit') } : {}),
      ...(text('from') !== undefined ? { from: text('from') } : {}),
      ...(text('to') !== undefined ? { to: text('to') } : {}),
      ...(text('order') !== undefined
        ? { order: text('order') === 'event-time' ? 'event_time' : text('order') }
        : {}),
      ...(text('compression') !== undefined ? { compression: text('compression') } : {}),
      ...(text('producer') !== undefined ? { producer: text('producer') } : {}),
      ...(text('retention-bytes') !== undefined ? { retentionBytes: number('retention-bytes') } : {}),
      ...(text('ahead-of-bronze') !== undefined
        ? {
            aheadOfBronzeSeconds:
              text('ahead-of-bronze') === 'unthrottled' ? null : number('ahead-of-bronze'),
          }
        : {}),
      resume: values.restart !== true,
    });
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `--${String(i.path[0] ?? '')}: ${i.message}`).join('; ');
      io.err(`clickpulse replay: ${detail}`);
      return EXIT_USAGE;
    }
    const brokerPort = parsePort(values['broker-port'], 9092);
    if (typeof brokerPort === 'string') {
      io.err(`clickpulse replay: ${brokerPort.replace('--port', '--broker-port')}`);
      return EXIT_USAGE;
    }
    const configDir = text('config') ?? defaultConfigDir();
    const lake = text('lake');
    const bronzeOnly = values['bronze-only'] === true;
    if (bronzeOnly && !lake) {
      io.err('clickpulse replay: --bronze-only needs --lake DIR (it says which lake layers to build).');
      return EXIT_USAGE;
    }
    const workbench = new Workbench({
      transport: 'cli',
      configDir,
      ...(lake ? { lakeDir: resolve(lake) } : {}),
      ...(text('broker-data') ? { brokerDataDir: resolve(text('broker-data') as string) } : {}),
      resourcesDir: resourcesDir(),
      version: APP_VERSION,
    });
    try {
      if (!parsed.data.brokers) {
        const embedded = await startEmbedded(workbench, brokerPort);
        if (!embedded.ok) {
          io.err(`clickpulse replay: ${embedded.error}`);
          return 1;
        }
        const { dataDir } = await workbench.call('broker.status', {});
        io.err(`Embedded Kafka broker on ${embedded.bootstrap} (data in ${dataDir}).`);
      }
      if (lake) {
        const streaming = await dispatch(workbench, 'stream.start', {
          topic: parsed.data.topic,
          ...(parsed.data.brokers ? { brokers: parsed.data.brokers } : {}),
          ...(bronzeOnly ? { refine: false } : {}),
        });
        if (!streaming.ok) {
          io.err(`clickpulse replay: ${streaming.error.message}`);
          return 1;
        }
        io.err(`Streaming ${parsed.data.topic} into the lake ${resolve(lake)}.`);
      }
      let last = 0;
      const ended = new Promise<ReplayProgress>((done) => {
        workbench.subscribe((name, payload) => {
          if (name !== 'replay.progress') return;
          const p = payload as ReplayProgress;
          if (['completed', 'stopped', 'failed'].includes(p.state)) return done(p);
          if (Date.now() - last >= PROGRESS_EVERY_MS) {
            last = Date.now();
            io.err(progressLine(p));
          }
        });
      });
      const started = await dispatch(workbench, 'replay.start', parsed.data);
      if (!started.ok) {
        io.err(`clickpulse replay: ${started.error.message}`);
        return 1;
      }
      const begun = started.value as ReplayProgress;
      for (const warning of begun.warnings) io.err(`Warning: ${warning}`);
      if (begun.resumedFrom > 0)
        io.err(`Resuming after row ${begun.resumedFrom} (use --restart to start over).`);
      void io.stopSignal.then(() => workbench.call('replay.stop', {}));
      const result = await ended;
      io.out(summary(result));
      for (const r of result.rejectReasons) io.err(`  rejected ${r.count}: ${r.reason}`);
      if (result.error) io.err(`clickpulse replay: ${result.error}`);
      if (result.state === 'failed') return 1;
      // A stopped run does not wait for the lake to catch up: closing the Workbench flushes Bronze.
      if (lake && result.state !== 'stopped') {
        io.err('Waiting for the lake to catch up…');
        const lakeStatus = await workbench.stream.caughtUp();
        io.out(statusLine(lakeStatus));
        if (bronzeOnly) io.err(`Build Silver and Gold with: clickpulse build all --lake ${resolve(lake)}`);
        else
          for (const [table, rows] of Object.entries(await goldRows(resolve(lake))))
            io.out(`  gold.${table}: ${rows} rows`);
        if (lakeStatus.lastError) return 1;
      }
      return 0;
    } finally {
      await workbench.close();
    }
  },
};

/** Starts the embedded broker on the port, or on the free port offered if it is taken. */
async function startEmbedded(
  workbench: Workbench,
  port: number,
): Promise<{ ok: true; bootstrap: string } | { ok: false; error: string }> {
  const first = await dispatch(workbench, 'broker.start', { port });
  if (first.ok) return { ok: true, bootstrap: (first.value as { bootstrap: string }).bootstrap };
  const status = await workbench.call('broker.status', {});
  if (status.freePort) {
    const second = await dispatch(workbench, 'broker.start', { port: status.freePort });
    if (second.ok) return { ok: true, bootstrap: (second.value as { bootstrap: string }).bootstrap };
  }
  return {
    ok: false,
    error: `${first.error.message} If a broker already runs there, pass --brokers 127.0.0.1:${port}.`,
  };
}

function progressLine(p: ReplayProgress): string {
  const pct = p.totalBytes > 0 ? ` ${((100 * p.bytesRead) / p.totalBytes).toFixed(0)}%` : '';
  const eta = p.etaSeconds !== null ? `, ETA ${Math.round(p.etaSeconds)} s` : '';
  return `${p.state}${pct}: ${p.rowsSent.toLocaleString('en-US')} sent, ${p.rowsRejected.toLocaleString('en-US')} rejected, ${Math.round(p.eventsPerSecond).toLocaleString('en-US')} events/s${eta}, event time ${p.currentEventTime ?? '-'}`;
}

function summary(p: ReplayProgress): string {
  const rate = p.elapsedSeconds > 0 ? Math.round(p.rowsSent / p.elapsedSeconds) : 0;
  return `${p.state}: ${p.rowsSent} rows sent to ${p.topic} on ${p.bootstrap}, ${p.rowsRejected} rejected (to clickpulse_events_dlq), ${p.elapsedSeconds.toFixed(1)} s, ${rate} events/s`;
}
